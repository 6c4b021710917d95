import { z } from 'zod';

/** The shape of an ingest job as it comes out of Redis; each mention is checked by the pipeline's normalize stage. */
export const IngestJobSchema = z.object({ source: z.string().min(1).max(200), mentions: z.array(z.unknown()).max(100_000) });
