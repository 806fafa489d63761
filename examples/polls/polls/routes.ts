// The tutorial's four views: the latest questions, one question's form, its results, and the
// vote that form posts.
import { Blueprint, type HttpRequest, NotFound, redirect } from 'carafe';
import { atomic, F } from 'carafe/db';
import { render } from 'carafe/templates';
import { Choice, Question } from './models.js';

export const routes = new Blueprint('polls', { prefix: '/polls' });

/** Questions whose publication date has come: a question set in the future stays hidden. */
function published() {
  return Question.objects.filter({ pubDate: { lte: new Date() } });
}

/** A published question with its choices, or a 404 (Django's get_object_or_404). */
async function publishedQuestion(id: number) {
  const [question] = await published().filter({ id }).prefetch('choices');
  if (question === undefined) throw new NotFound(`No poll ${id}.`);
  return question;
}

routes.get(
  '/',
  async function index(req) {
    const latest = await published().orderBy('-pubDate').limit(5);
    return render(req, 'polls/index.html', { latest });
  },
  { name: 'index' },
);

routes.get(
  '/<int:id>/',
  async function detail(req) {
    const question = await publishedQuestion(req.params.id);
    return render(req, 'polls/detail.html', { question });
  },
  { name: 'detail' },
);

routes.get(
  '/<int:id>/results/',
  async function results(req) {
    const question = await publishedQuestion(req.params.id);
    return render(req, 'polls/results.html', { question });
  },
  { name: 'results' },
);

/** The form again, with the reason the vote was not counted. */
async function voteAgain(req: HttpRequest, id: number) {
  const question = await publishedQuestion(id);
  const errorMessage = "You didn't select a choice.";
  return render(req, 'polls/detail.html', { question, errorMessage }, { status: 400 });
}

routes.post(
  '/<int:id>/vote/',
  async function vote(req) {
    const { id } = req.params;
    const chosen = (await req.form()).get('choice') ?? '';
    if (!/^\d{1,15}$/.test(chosen)) return voteAgain(req, id);
    // The database adds the vote (UPDATE … SET votes = votes + 1), so two people voting at the
    // same moment both count. Only a choice of this question, once published, is counted.
    const counted = await atomic(() =>
      Choice.objects
        .filter({ id: Number(chosen), question: { id, pubDate: { lte: new Date() } } })
        .update({ votes: F('votes').add(1) }),
    );
    if (counted === 0) return voteAgain(req, id);
    // Redirect after a POST, so reloading the results page does not vote twice.
    return redirect(req.urlFor('polls.results', { id }), 303);
  },
  { name: 'vote' },
);
