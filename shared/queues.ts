import type { RawMention } from './raw-mention.js';

/**
 * Queue names and job payloads. Renaming a queue or changing a payload strands
 * jobs already waiting in Redis under the old name: add a new name and drain
 * the old one instead.
 */
export const QUEUES = {
  ingest: 'hark.ingest.v1',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface IngestJob {
  /** Connector or import that produced the batch, for logs and health. */
  source: string;
  mentions: RawMention[];
}

export interface JobPayloads {
  'hark.ingest.v1': IngestJob;
}

/** Topics the workers publish and the API process turns into socket events. */
export const TOPICS = {
  mentionsStored: 'mentions.stored',
} as const;
