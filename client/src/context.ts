import { createContext, useContext } from 'react';
import type { User } from '../../shared/auth.js';
import type { Live } from './live/socket';

export interface AppCtx {
  user: User;
  live: Live;
  /** id → name, for holders and assignees. */
  users: Map<string, User>;
  demo: boolean;
}

export const Ctx = createContext<AppCtx | null>(null);
export function useApp(): AppCtx {
  const c = useContext(Ctx);
  if (!c) throw new Error('useApp outside the app');
  return c;
}
