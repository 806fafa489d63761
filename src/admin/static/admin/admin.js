// Carafe admin: small progressive enhancements. Every page works without this file.

// Change list: a box that ticks every row of the page, and a count of ticked rows.
function setUpSelectAll() {
  const toggle = document.getElementById('action-toggle');
  const boxes = [...document.querySelectorAll('input.action-select')];
  const counter = document.querySelector('.action-counter');
  if (toggle === null || boxes.length === 0) return;
  const update = () => {
    const ticked = boxes.filter((box) => box.checked).length;
    toggle.checked = ticked === boxes.length;
    toggle.indeterminate = ticked > 0 && ticked < boxes.length;
    if (counter !== null) counter.textContent = `${ticked} of ${boxes.length} selected`;
  };
  toggle.hidden = false;
  if (counter !== null) counter.hidden = false;
  toggle.addEventListener('change', () => {
    for (const box of boxes) box.checked = toggle.checked;
    update();
  });
  for (const box of boxes) box.addEventListener('change', update);
  update();
}

// Autocomplete relations: a search box under the key input that asks the admin's endpoint and
// offers the rows found; `onPick` gets the row picked ({ id, text }).
function searchBox(input, labelText, onPick) {
  const search = document.createElement('input');
  search.type = 'search';
  search.id = `${input.id}_search`;
  search.placeholder = 'Search…';
  search.setAttribute('aria-label', `Search ${labelText}`);
  search.setAttribute('autocomplete', 'off');
  const results = document.createElement('ul');
  results.className = 'autocomplete-results';
  results.hidden = true;
  input.insertAdjacentElement('afterend', search);
  search.insertAdjacentElement('afterend', results);
  let timer;
  let asked = 0;
  const show = (items) => {
    results.replaceChildren(
      ...items.map((item) => {
        const li = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = item.text;
        button.addEventListener('click', () => {
          onPick(item);
          results.hidden = true;
          search.value = '';
          search.focus();
          input.dispatchEvent(new Event('change', { bubbles: true }));
        });
        li.append(button);
        return li;
      }),
    );
    results.hidden = items.length === 0;
  };
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const term = search.value.trim();
      const mine = ++asked;
      if (term === '') return show([]);
      const url = `${input.dataset.autocomplete}&term=${encodeURIComponent(term)}`;
      const response = await fetch(url, { headers: { Accept: 'application/json' } });
      if (!response.ok || mine !== asked) return;
      show((await response.json()).results);
    }, 250);
  });
  return search;
}

// A foreign key: the row picked fills the key input, and its name shows beside it.
function setUpForeignKey(input, row) {
  const label = row?.querySelector('[data-autocomplete-label]');
  searchBox(input, input.labels?.[0]?.textContent ?? '', (item) => {
    input.value = item.id;
    if (label) label.textContent = item.text;
  });
}

// A many-to-many: the rows picked join a list, each with a Remove button, and the key input
// (hidden now) holds their keys, separated by commas, for the form to post.
function setUpManyToMany(input, row) {
  const list = row?.querySelector('[data-autocomplete-chosen]');
  if (!list) return;
  const label = input.labels?.[0];
  const labelText = label?.textContent ?? '';
  const chosen = () => [...list.children].map((li) => li.dataset.id);
  const sync = () => {
    input.value = chosen().join(',');
  };
  const withRemove = (li) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link remove';
    button.textContent = 'Remove';
    button.setAttribute('aria-label', `Remove ${li.textContent}`);
    button.addEventListener('click', () => {
      li.remove();
      sync();
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    li.append(' ', button);
  };
  for (const li of list.children) withRemove(li);
  // The list shows the rows that exist; keys that named none were reported and are dropped.
  sync();
  input.type = 'hidden';
  row.querySelector('[data-autocomplete-hint]')?.remove();
  const search = searchBox(input, labelText, (item) => {
    if (chosen().includes(item.id)) return;
    const li = document.createElement('li');
    li.dataset.id = item.id;
    const text = document.createElement('span');
    text.textContent = item.text;
    li.append(text);
    withRemove(li);
    list.append(li);
    sync();
  });
  if (label) label.htmlFor = search.id;
}

function setUpAutocomplete(input) {
  const row = input.closest('[data-autocomplete-row="true"]');
  if (input.hasAttribute('data-autocomplete-multiple')) setUpManyToMany(input, row);
  else setUpForeignKey(input, row);
}

document.addEventListener('DOMContentLoaded', () => {
  setUpSelectAll();
  for (const input of document.querySelectorAll('input[data-autocomplete]'))
    setUpAutocomplete(input);
});
