import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import nunjucks from 'nunjucks';
import { ff, form, SafeHtml } from './index.js';

const hostile = '"><script>alert(1)</script>';
const escaped = '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';
/** `escaped` inside a regular expression. */
const esc = escaped.replace(/[()/]/g, '\\$&');

const ContactForm = form(
  {
    name: ff.text({ max: 100, helpText: 'As you like to be called.' }),
    email: ff.email({ attrs: { autocomplete: 'email', placeholder: 'you@example.com' } }),
    topic: ff.choice([
      ['bug', 'Bug report'],
      ['idea', 'Idea'],
    ]),
    tags: ff.multipleChoice(['a', 'b'], { required: false }),
    size: ff.choice(['s', 'm'], { widget: 'radio' }),
    agree: ff.boolean(),
    message: ff.text({ widget: 'textarea', required: false }),
    password: ff.password({ required: false }),
    next: ff.hidden({ required: false }),
  },
  { clean: () => 'Something is off.' },
);

/** The first tag in `html` with `id="…"`. */
function tagWithId(html: string, id: string): string {
  const match = new RegExp(`<[a-z]+ [^>]*id="${id}"[^>]*>`).exec(html);
  assert.ok(match, `no element with id ${id} in ${html}`);
  return match[0];
}

describe('rendering an unbound form', () => {
  const html = ContactForm.unbound({ initial: { name: 'Ada', topic: 'idea' } })
    .render()
    .toString();

  it('ties each label to its input', () => {
    assert.match(html, /<label for="id_name">Name<\/label>/);
    assert.match(tagWithId(html, 'id_name'), /^<input type="text" name="name" value="Ada"/);
    assert.match(html, /<label for="id_email">Email<\/label>/);
  });

  it('links help text with aria-describedby and marks required inputs', () => {
    assert.match(
      html,
      /<div class="helptext" id="id_name_helptext">As you like to be called.<\/div>/,
    );
    const input = tagWithId(html, 'id_name');
    assert.match(input, / aria-describedby="id_name_helptext"/);
    assert.match(input, / required/);
    assert.match(input, / maxlength="100"/);
    assert.doesNotMatch(input, /aria-invalid/);
    assert.doesNotMatch(tagWithId(html, 'id_message'), / required/);
  });

  it('adds the developer’s attributes', () => {
    const input = tagWithId(html, 'id_email');
    assert.match(input, /type="email"/);
    assert.match(input, / autocomplete="email" placeholder="you@example.com"/);
  });

  it('shows choices with the initial one selected, and a blank while none is', () => {
    assert.match(html, /<option value="idea" selected>Idea<\/option>/);
    assert.doesNotMatch(html, /<option value="">/);
    const empty = ContactForm.unbound().render().toString();
    assert.match(
      empty,
      /<option value="" selected>---------<\/option><option value="bug">Bug report<\/option>/,
    );
  });

  it('puts radios and checkboxes in a fieldset with a legend', () => {
    assert.match(
      html,
      /<fieldset><legend>Size<\/legend><div id="id_size"><div><input type="radio" name="size" value="s" required id="id_size_0"><label for="id_size_0">s<\/label><\/div>/,
    );
    assert.match(
      html,
      /<fieldset><legend>Tags<\/legend><div id="id_tags"><div><input type="checkbox" name="tags" value="a" id="id_tags_0">/,
    );
  });

  it('renders hidden fields last, without a label', () => {
    assert.ok(html.endsWith('<input type="hidden" name="next" id="id_next">'));
    assert.doesNotMatch(html, /for="id_next"/);
  });
});

describe('rendering a bound form', async () => {
  const bound = await ContactForm.bind({
    name: hostile,
    email: hostile,
    topic: hostile,
    tags: ['a', hostile],
    size: 'm',
    message: `\n${hostile}`,
    password: 'secret',
    next: hostile,
  });
  const html = bound.render().toString();

  it('re-renders what was sent, escaped', () => {
    assert.match(tagWithId(html, 'id_name'), new RegExp(`value="${esc}"`));
    assert.match(
      html,
      new RegExp(
        `<textarea name="message" cols="40" rows="10" id="id_message">\\n\\n${esc}</textarea>`,
      ),
    );
    assert.match(tagWithId(html, 'id_size_1'), / checked/);
    assert.doesNotMatch(html, /<script>/);
  });

  it('never shows a password again', () => {
    assert.doesNotMatch(html, /secret/);
    assert.match(
      tagWithId(html, 'id_password'),
      /^<input type="password" name="password" id="id_password">$/,
    );
  });

  it('marks invalid inputs and links their error lists', () => {
    const email = tagWithId(html, 'id_email');
    assert.match(email, / aria-invalid="true"/);
    assert.match(email, / aria-describedby="id_email_error"/);
    assert.match(
      html,
      /<ul class="errorlist" id="id_email_error"><li>Enter a valid email address.<\/li><\/ul>/,
    );
    assert.match(tagWithId(html, 'id_agree'), / aria-invalid="true"/);
    assert.match(html, /<fieldset aria-describedby="id_tags_error"><legend>Tags<\/legend>/);
    assert.match(tagWithId(html, 'id_tags_0'), / aria-invalid="true" checked/);
  });

  it('escapes refused values echoed in error messages', () => {
    assert.match(
      html,
      new RegExp(`<li>Select a valid choice. ${esc} is not one of the available choices.</li>`),
    );
  });

  it('renders form errors on top', async () => {
    const valid = await ContactForm.bind({
      name: 'a',
      email: 'a@b.co',
      topic: 'bug',
      size: 's',
      agree: 'on',
    });
    const top = valid.render().toString();
    assert.ok(
      top.startsWith('<ul class="errorlist nonfield"><li>Something is off.</li></ul><div>'),
    );
  });
});

describe('hostile definitions', () => {
  it('escapes labels, help texts, choices, attributes and developer errors', async () => {
    const Evil = form(
      {
        x: ff.choice([[hostile, hostile]], {
          label: hostile,
          helpText: hostile,
          attrs: { title: hostile },
        }),
        y: ff.text({ required: false }),
      },
      { clean: () => ({ y: hostile }) },
    );
    const bound = await Evil.bind({ x: hostile });
    const html = bound.render().toString();
    assert.doesNotMatch(html, /<script>/);
    assert.match(html, new RegExp(`<label for="id_x">${esc}</label>`));
    assert.match(html, new RegExp(`<div class="helptext" id="id_x_helptext">${esc}</div>`));
    assert.match(html, new RegExp(`<option value="${esc}" selected>${esc}</option>`));
    assert.match(html, new RegExp(`title="${esc}"`));
    assert.match(html, new RegExp(`<li>${esc}</li>`));
  });

  it('shows hidden fields’ errors at the top, naming the field', async () => {
    const WithNext = form({ next: ff.hidden() });
    const html = (await WithNext.bind({})).render().toString();
    assert.match(
      html,
      /^<ul class="errorlist nonfield"><li>\(Hidden field next\) This field is required.<\/li><\/ul>/,
    );
  });
});

describe('pieces for hand-written templates', () => {
  it('renders one field’s label, help, errors and input separately', async () => {
    const bound = await ContactForm.bind({ email: 'nope' });
    const email = bound.field('email');
    assert.equal(email.label().toString(), '<label for="id_email">Email</label>');
    assert.equal(
      email.errors().toString(),
      '<ul class="errorlist" id="id_email_error"><li>Enter a valid email address.</li></ul>',
    );
    assert.equal(email.helpText().toString(), '');
    assert.equal(email.value, 'nope');
    assert.deepEqual(email.errorMessages, ['Enter a valid email address.']);
    assert.match(email.widget().toString(), /^<input type="email"/);
    assert.equal(bound.field('size').label().toString(), '<legend>Size</legend>');
    assert.deepEqual(
      [...bound].map((field) => field.name),
      Object.keys(ContactForm.fields),
    );
    assert.equal(bound.isMultipart, false);
    assert.equal(form({ f: ff.file() }).unbound().isMultipart, true);
  });

  it('outputs unescaped in templates through | safe, and as a SafeHtml', () => {
    const rendered = ContactForm.unbound().render();
    assert.ok(rendered instanceof SafeHtml);
    assert.equal(rendered.__html__(), rendered.toString());
    const env = new nunjucks.Environment(null, { autoescape: true });
    const page = env.renderString(
      '<form>{{ form.render() | safe }}{{ form.field("name").label() | safe }}</form>',
      {
        form: ContactForm.unbound(),
      },
    );
    assert.match(page, /<form><div><label for="id_name">Name<\/label>/);
  });
});
