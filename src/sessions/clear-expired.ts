// Expired session rows are never read again but stay in the table until something deletes
// them: this, run from a scheduled job (Django's `clearsessions`).
import { SessionModel } from './models.js';

export interface ClearExpiredSessionsOptions {
  /** The configured database the sessions live in; defaults to `default`. */
  using?: string;
}

// Small batches keep each transaction (and its locks) short on a busy table.
const batchSize = 1000;

/** Deletes the database sessions that have expired; returns how many rows went. */
export async function clearExpiredSessions(
  options: ClearExpiredSessionsOptions = {},
): Promise<number> {
  const rows = SessionModel.objects.using(options.using ?? 'default');
  const now = new Date();
  const expired = { expiresAt: { lte: now } };
  let total = 0;
  for (;;) {
    const keys = await rows.filter(expired).valuesList('key', { flat: true }).limit(batchSize);
    if (keys.length === 0) return total;
    // The expiry is checked again: a session saved since the SELECT has a new one and stays.
    total += (await rows.filter({ key: { in: keys }, ...expired }).delete()).total;
    if (keys.length < batchSize) return total;
  }
}
