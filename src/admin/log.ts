// Writing the history: one LogEntry per object added, changed or deleted through the admin, with
// a plain-text message saying what changed ("Changed text. Added choice “Yes”.").
import type { ModelMeta } from '../db/index.js';
import type { HttpRequest } from '../index.js';
import { type LogAction, LogEntry } from './models.js';
import { pkOf } from './query-access.js';

/** The text kept for an object: `String(object)`, cut to what the column holds. */
export function objectRepr(row: object): string {
  const text = String(row);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

export async function logAction(
  req: HttpRequest,
  meta: ModelMeta,
  row: object,
  action: LogAction,
  changeMessage = '',
): Promise<void> {
  const user = req.user;
  if (!user.isAuthenticated) return;
  await LogEntry.objects.create({
    user: user.id,
    model: meta.label.toLowerCase(),
    objectId: String(pkOf(meta, row)),
    objectRepr: objectRepr(row),
    action,
    changeMessage,
  });
}

/** Log entries for many deleted objects at once (bulk delete), in one statement. */
export async function logDeletions(
  req: HttpRequest,
  meta: ModelMeta,
  rows: readonly object[],
): Promise<void> {
  const user = req.user;
  if (!user.isAuthenticated || rows.length === 0) return;
  await LogEntry.objects.bulkCreate(
    rows.map((row) => ({
      user: user.id,
      model: meta.label.toLowerCase(),
      objectId: String(pkOf(meta, row)),
      objectRepr: objectRepr(row),
      action: 'delete' as const,
      changeMessage: '',
    })),
  );
}
