import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ff, form, formset } from './index.js';

const ChoiceForm = form({
  text: ff.text({ max: 20 }),
  votes: ff.integer({ min: 0, required: false }),
});

const ChoiceFormset = formset(ChoiceForm, {
  extra: 2,
  max: 3,
  canDelete: true,
  prefix: 'choices',
  clean(rows) {
    const texts = rows.map((row) => row.text.toLowerCase());
    return new Set(texts).size === texts.length ? undefined : 'Each choice must be different.';
  },
});

function management(total: number, initial = 0): Record<string, string> {
  return { 'choices-TOTAL_FORMS': String(total), 'choices-INITIAL_FORMS': String(initial) };
}

describe('formsets', () => {
  it('shows initial forms, extra ones and the management form', () => {
    const set = ChoiceFormset.unbound({ initial: [{ text: 'Tea' }] });
    assert.equal(set.forms.length, 3);
    assert.equal(set.initialFormCount, 1);
    const html = set.render().toString();
    assert.match(
      html,
      /^<input type="hidden" name="choices-TOTAL_FORMS" value="3" id="id_choices-TOTAL_FORMS"><input type="hidden" name="choices-INITIAL_FORMS" value="1" id="id_choices-INITIAL_FORMS"><input type="hidden" name="choices-MIN_NUM_FORMS" value="0"[^>]*><input type="hidden" name="choices-MAX_NUM_FORMS" value="3"[^>]*>/,
    );
    assert.match(
      html,
      /<label for="id_choices-0-text">Text<\/label><input type="text" name="choices-0-text" value="Tea" maxlength="20" id="id_choices-0-text">/,
    );
    assert.match(html, /name="choices-2-DELETE"/);
    // Extra forms may stay empty, so no input is marked required.
    assert.doesNotMatch(html, / required/);
    assert.match(set.emptyForm().render().toString(), /name="choices-__prefix__-text"/);
  });

  it('never shows more forms than max', () => {
    assert.equal(
      ChoiceFormset.unbound({ initial: [{ text: 'a' }, { text: 'b' }] }).forms.length,
      3,
    );
    assert.equal(ChoiceFormset.unbound({ initial: [{}, {}, {}, {}] }).forms.length, 4);
  });

  it('cleans filled-in forms, skipping empty extra ones and deleted ones', async () => {
    const set = await ChoiceFormset.bind(
      {
        ...management(3, 1),
        'choices-0-text': 'Tea',
        'choices-0-DELETE': 'on',
        'choices-1-text': 'Coffee',
        'choices-1-votes': '2',
        'choices-2-text': '',
      },
      { initial: [{ text: 'Tea' }] },
    );
    assert.equal(set.isValid(), true);
    assert.deepEqual(set.cleanedData, [{ text: 'Coffee', votes: 2 }]);
    assert.deepEqual(
      set.deletedForms().map((one) => one.prefix),
      ['choices-0'],
    );
    assert.deepEqual(
      set.keptForms().map((one) => one.prefix),
      ['choices-1'],
    );
  });

  it('validates initial forms even when left unchanged', async () => {
    const set = await ChoiceFormset.bind(
      { ...management(1, 1), 'choices-0-text': '' },
      { initial: [{ text: '' }] },
    );
    assert.equal(set.isValid(), false);
    assert.deepEqual(set.errors, [{ text: ['This field is required.'] }]);
  });

  it('reports each form’s errors and re-renders them', async () => {
    const set = await ChoiceFormset.bind({
      ...management(2),
      'choices-0-text': 'Tea',
      'choices-1-votes': '-1',
    });
    assert.equal(set.isValid(), false);
    assert.deepEqual(set.errors, [
      {},
      {
        text: ['This field is required.'],
        votes: ['Ensure this value is greater than or equal to 0.'],
      },
    ]);
    assert.match(
      set.render().toString(),
      /<input type="number" name="choices-1-votes" value="-1" min="0" aria-invalid="true"/,
    );
  });

  it('runs clean() across forms', async () => {
    const set = await ChoiceFormset.bind({
      ...management(2),
      'choices-0-text': 'Tea',
      'choices-1-text': 'tea',
    });
    assert.equal(set.isValid(), false);
    assert.deepEqual(set.nonFormErrors(), ['Each choice must be different.']);
    assert.match(
      set.render().toString(),
      /<ul class="errorlist nonform"><li>Each choice must be different.<\/li><\/ul>/,
    );
  });

  it('enforces min and max', async () => {
    const AtLeastTwo = formset(ChoiceForm, { min: 2, extra: 0 });
    const few = await AtLeastTwo.bind({
      'form-TOTAL_FORMS': '2',
      'form-INITIAL_FORMS': '0',
      'form-0-text': 'Tea',
    });
    assert.deepEqual(few.nonFormErrors(), []);
    assert.deepEqual(few.errors[1], { text: ['This field is required.'] });
    const one = await AtLeastTwo.bind({
      'form-TOTAL_FORMS': '1',
      'form-INITIAL_FORMS': '0',
      'form-0-text': 'Tea',
    });
    assert.deepEqual(one.nonFormErrors(), ['Please submit at least 2 forms.']);
    const data: Record<string, string> = { ...management(4) };
    for (let i = 0; i < 4; i++) data[`choices-${i}-text`] = `c${i}`;
    const many = await ChoiceFormset.bind(data);
    assert.deepEqual(many.nonFormErrors(), ['Please submit at most 3 forms.']);
  });

  it('refuses a huge TOTAL_FORMS without building the forms', async () => {
    const set = await ChoiceFormset.bind({ ...management(1_000_000) });
    assert.equal(set.forms.length, 1003);
    assert.deepEqual(set.nonFormErrors(), ['Please submit at most 3 forms.']);
  });

  it('reports missing or tampered management data', async () => {
    const missing = await ChoiceFormset.bind({ 'choices-0-text': 'Tea' });
    assert.equal(missing.isValid(), false);
    assert.equal(missing.forms.length, 0);
    assert.deepEqual(missing.nonFormErrors(), [
      "The form's management data is missing or was changed (choices-TOTAL_FORMS is missing, choices-INITIAL_FORMS is missing). Reload the page and try again.",
    ]);
    const tampered = await ChoiceFormset.bind({
      'choices-TOTAL_FORMS': '-1',
      'choices-INITIAL_FORMS': 'x',
    });
    assert.match(
      tampered.nonFormErrors()[0]!,
      /choices-TOTAL_FORMS is not a count, choices-INITIAL_FORMS is not a count/,
    );
  });

  it('takes another prefix per instance and checks option values', async () => {
    const set = await ChoiceFormset.bind(
      { 'b-TOTAL_FORMS': '1', 'b-INITIAL_FORMS': '0', 'b-0-text': 'x' },
      { prefix: 'b' },
    );
    assert.deepEqual(set.cleanedData, [{ text: 'x', votes: null }]);
    assert.throws(() => formset(ChoiceForm, { extra: -1 }), { code: 'CARAFE_FORMS_DEFINITION' });
    assert.throws(() => formset(ChoiceForm, { min: 3, max: 2 }), {
      code: 'CARAFE_FORMS_DEFINITION',
    });
  });
});
