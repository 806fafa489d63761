// `userModel` as a relation target: rows are typed as the project's user model (`auth.User`
// unless `AuthUserModel` names another), and tokens are made for that model's rows only.
import { type Equal, expectTrue } from '../../test/support/type-assert.js';
import { f, type InstanceOf, model } from '../db/index.js';
import { createToken, Group, User, type UserModel, userModel } from './index.js';

const Note = model('typetest.Note', {
  author: f.foreignKey(userModel, { onDelete: 'cascade', relatedName: 'typetestNotes' }),
});

expectTrue<Equal<UserModel, typeof User>>();

export async function noteAuthor(): Promise<void> {
  const note = await Note.objects.select('author').get({ id: 1 });
  expectTrue<Equal<typeof note.authorId, number>>();
  const author: InstanceOf<UserModel> = note.author;
  expectTrue<Equal<typeof author.username, string>>();
  await createToken(note.author);
  const group = await Group.objects.get({ id: 1 });
  // @ts-expect-error: tokens belong to users
  await createToken(group);
}
