// What the polls tests share: the project's app, questions dated relative to now (Django's
// create_question), and the CSRF token a page handed out, to post its form back.
import { Carafe } from 'carafe';
import type { TestResponse } from 'carafe/testing';
import config from '../carafe.config.js';
import { Question } from '../polls/models.js';

export const app = new Carafe({ ...config, log: { level: 'silent' } });

const day = 24 * 60 * 60 * 1000;

/** A question published `days` days from now: negative for the past, positive for the future. */
export function createQuestion(text: string, days: number): Promise<Question> {
  return Question.objects.create({ text, pubDate: new Date(Date.now() + days * day) });
}

export function csrfTokenOf(page: TestResponse): string {
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.text)?.[1];
  if (token === undefined) throw new Error(`no CSRF token on ${page.url}:\n${page.text}`);
  return token;
}
