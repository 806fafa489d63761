// The few queries auth makes with names known only at run time (the login field, the way back
// from Permission to a swapped user model). The typed query API wants names the compiler knows,
// so these go through one narrow, untyped door.
import { type AnyModel, isInstance, type ModelInstance, Q } from '../db/index.js';
import { Permission } from './models.js';
import type { AuthFields, UserModelInfo } from './user-model.js';

/** A row of a user model, as auth's own code handles it. */
export type AuthRecord = ModelInstance & AuthFields;

interface Query extends PromiseLike<unknown[]> {
  using(alias: string): Query;
  filter(...conditions: unknown[]): Query;
  first(): Promise<unknown>;
  valuesList(...paths: string[]): PromiseLike<unknown[]>;
}

function objects(model: AnyModel, using?: string): Query {
  const manager = (model as unknown as { objects: Query }).objects;
  return using === undefined ? manager : manager.using(using);
}

function asRecord(row: unknown): AuthRecord | null {
  return isInstance(row) ? (row as AuthRecord) : null;
}

/** The user whose `field` is `value`, or null; on the `using` database when given. */
export async function findUser(
  info: UserModelInfo,
  field: string,
  value: unknown,
  using?: string,
): Promise<AuthRecord | null> {
  return asRecord(
    await objects(info.model, using)
      .filter({ [field]: value })
      .first(),
  );
}

/**
 * Active users whose `email` is `email`, ignoring case (Django's PasswordResetForm.get_users);
 * users without a usable password are the caller's to skip.
 */
export async function findUsersByEmail(info: UserModelInfo, email: string): Promise<AuthRecord[]> {
  const rows = await objects(info.model).filter({ email: { iexact: email }, isActive: true });
  return rows.flatMap((row) => {
    const record = asRecord(row);
    return record === null ? [] : [record];
  });
}

/** The primary key of a row, read through its own model's metadata. */
export function recordPk(record: ModelInstance): unknown {
  const model = record.constructor as unknown as AnyModel;
  return Reflect.get(record, model.meta.pk.attname);
}

/** The primary key of a user row. */
export function userPk(info: UserModelInfo, user: AuthRecord): unknown {
  return Reflect.get(user, info.meta.pk.attname);
}

function codes(rows: readonly unknown[]): Set<string> {
  const found = new Set<string>();
  for (const row of rows) {
    const [model, codename] = row as [string, string];
    found.add(`${model.slice(0, model.indexOf('.'))}.${codename}`);
  }
  return found;
}

/** `'polls.change_question'` for every permission there is (what a superuser has). */
export async function allPermissionCodes(): Promise<Set<string>> {
  return codes(await objects(Permission).valuesList('model', 'codename'));
}

/** The user's own permissions and their groups', in one query. */
export async function userPermissionCodes(
  info: UserModelInfo,
  user: AuthRecord,
): Promise<Set<string>> {
  const byKey = { [info.meta.pk.name]: userPk(info, user) };
  const ways: Record<string, unknown>[] = [];
  if (info.permissionUsers !== undefined) ways.push({ [info.permissionUsers]: byKey });
  if (info.groupUsers !== undefined) ways.push({ groups: { [info.groupUsers]: byKey } });
  if (ways.length === 0) return new Set();
  return codes(
    await objects(Permission)
      .filter(Q.or(...ways))
      .valuesList('model', 'codename'),
  );
}
