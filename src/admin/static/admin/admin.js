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

// Autocomplete foreign keys: a search box that fills the key input with the row picked.
function setUpAutocomplete(input) {
  const row = input.closest('[data-autocomplete-row="true"]');
  const label = row?.querySelector('[data-autocomplete-label]');
  const search = document.createElement('input');
  search.type = 'search';
  search.placeholder = 'Search…';
  search.setAttribute('aria-label', `Search ${input.labels?.[0]?.textContent ?? ''}`);
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
          input.value = item.id;
          if (label) label.textContent = item.text;
          results.hidden = true;
          search.value = '';
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
}

document.addEventListener('DOMContentLoaded', () => {
  setUpSelectAll();
  for (const input of document.querySelectorAll('input[data-autocomplete]'))
    setUpAutocomplete(input);
});
