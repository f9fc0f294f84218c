/* The dashboard's behaviour: filters drive the ranked list, the figures and the tile URLs; a row or an
   area on the map opens the area's details. A donor's page (config.view 'donor') shows its report's
   figures beside the land it funds. Plain ES5-level DOM code, no framework, no network beyond this app. */
(function () {
  'use strict';

  var dash = window.maisDashboard = {colourBy: 'imas', bands: [], palette: {}, rows: {}, generation: 0};
  var config, form, scenarioSelect, hazardsUrl;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  // The page's language: strings are looked up by their English text in the catalogue the server put
  // in the config (app/i18n/uk/dashboard.po); numbers and dates are written the language's way.
  dash.t = function (text) { return (config && config.strings && config.strings[text]) || text; };
  dash.locale = function () { return config && config.language === 'uk' ? 'uk-UA' : 'en-GB'; };

  function m2(value) {
    var v = Number(value || 0);
    if (v >= 1e6) { return (v / 1e6).toLocaleString(dash.locale(), {maximumFractionDigits: 2}) + ' km²'; }
    return Math.round(v).toLocaleString(dash.locale()) + ' m²';
  }

  function count(value) { return Math.round(Number(value || 0)).toLocaleString(dash.locale()); }

  function number(value, digits) {
    return Number(value || 0).toLocaleString(dash.locale(), {maximumFractionDigits: digits || 0});
  }

  // "{n} people within {km} km" with its values put in, after the page language's text is looked up.
  function say(text, values) {
    return dash.t(text).replace(/\{(\w+)\}/g, function (all, name) {
      return values && values[name] !== undefined ? values[name] : all;
    });
  }

  // A code in words: the page config's labels (fixed vocabularies, app/domain/labels.py; lookup lists,
  // app/services/dashboard/labels.py), else the code with spaces. Codes are never shown as they are.
  function label(kind, code) {
    if (code === null || code === undefined || code === '') { return ''; }
    var tables = [config.labels && config.labels[kind], config.lookups && config.lookups[kind]];
    for (var i = 0; i < tables.length; i++) { if (tables[i] && tables[i][code]) { return tables[i][code]; } }
    return dash.t(String(code).replace(/_/g, ' '));
  }
  dash.label = label;

  // SHA and CHA as the short form a list row has room for (ПНТ / ПдНТ in Ukrainian).
  function shortClass(code) { return dash.t(code); }

  function status(text, isError) {
    var node = document.getElementById('status');
    node.textContent = text || '';
    node.className = isError ? 'error' : 'muted';
  }

  function getJSON(url) {
    return fetch(url, {headers: {Accept: 'application/json'}}).then(answer);
  }

  // A change sent with the login cookie carries the page's CSRF token (the server refuses it otherwise).
  dash.csrfToken = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : null;
  };

  dash.send = function (method, url, body) {
    var headers = {Accept: 'application/json'};
    var token = dash.csrfToken();
    if (token) { headers['X-CSRF-Token'] = token; }
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
    return fetch(url, {method: method, headers: headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body)}).then(answer);
  };

  // The JSON of a good answer; for a refusal, an error carrying the server's reason.
  function answer(response) {
    if (!response.ok) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        var detail = body && body.detail;
        if (Array.isArray(detail)) {  // FastAPI validation errors: one entry per bad parameter
          detail = detail.map(function (d) { return (d.loc || []).slice(-1)[0] + ': ' + d.msg; }).join('; ');
        }
        throw new Error(detail || (response.status + ' ' + response.statusText));
      });
    }
    return response.status === 204 ? null : response.json();
  }

  // The filter as a query string: the same parameters for the list, the figures and the tiles.
  function filterQuery() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value) { params.append(key, value); } });
    return params;
  }

  function withQuery(path, params) {
    var q = params.toString();
    return q ? path + (path.indexOf('?') < 0 ? '?' : '&') + q : path;
  }

  // An API URL answered in the page's language (names, labels, the history's sentences).
  function api(path, params) {
    var withLanguage = new URLSearchParams(params || '');
    withLanguage.set('lang', config.language || 'en');
    return withQuery(path, withLanguage);
  }

  function refreshTiles(params) {
    var tileParams = new URLSearchParams(params);
    if (dash.colourBy === 'rank') { tileParams.set('scenario', scenarioSelect.value); }
    var hazards = window.maisLayers.hazards, map = window.maisMap;
    var url = withQuery(hazardsUrl, tileParams);
    if (url === hazards._url) { return; }
    // GridLayer.redraw (which setUrl calls) keeps a fractional zoom as the tile zoom (Leaflet 1.9.4), so
    // swap the URL without redrawing and let a remove/add rebuild the grid at a whole zoom.
    hazards.setUrl(url, true);
    if (map.hasLayer(hazards)) { map.removeLayer(hazards); map.addLayer(hazards); }
  }

  // Answers to an older filter that arrive after a newer one's are dropped, not drawn.
  function stale(generation) { return generation !== dash.generation; }

  function loadHeadline(params, generation) {
    return getJSON(api('/api/v1/dashboard/headline', params)).then(function (h) {
      if (stale(generation)) { return; }
      var r = h.released_this_year_m2;
      var values = {
        suspected_remaining_m2: m2(h.suspected_remaining_m2), confirmed_remaining_m2: m2(h.confirmed_remaining_m2),
        released_this_year_m2: [m2(r.cancelled), m2(r.reduced), m2(r.cleared)].join(' / '),
        active_tasks: count(h.active_tasks), devices_destroyed: count(h.devices_destroyed),
        year: h.year, areas: count(h.areas)
      };
      Object.keys(values).forEach(function (key) {
        document.querySelector('[data-figure="' + key + '"]').textContent = values[key];
      });
    });
  }

  // The criteria's names in words (points are what the scenario's weights make of them).
  var CRITERIA = {population: 'people nearby', casualties: 'casualties nearby', farmland: 'farmland',
    roads: 'roads', services: 'schools, health, water', infrastructure: 'infrastructure',
    recorded_blockages: 'blockages recorded', device_severity: 'device severity', evidence: 'evidence',
    returns: 'returnees expected', feasibility: 'low cost'};

  function criterionName(name) { return dash.t(CRITERIA[name] || name.replace(/_/g, ' ')); }

  // What a criterion measured, in real units (the API's `facts`); null for criteria without a unit.
  function inUnits(name, facts) {
    if (!facts) { return null; }
    switch (name) {
      case 'population': return say('{n} people within {km} km', {n: count(facts.people), km: number(facts.people_reach_km, 1)});
      case 'casualties': return say('{n} casualties within {km} km in {months} months',
        {n: count(facts.casualties), km: number(facts.casualty_reach_km, 1), months: facts.casualty_months});
      case 'farmland': return say('{n} ha of farmland', {n: number(facts.farmland_ha, 1)});
      case 'roads': return say('{n} m of road', {n: count(facts.roads_m)});
      case 'returns': return say('{n} returnees expected', {n: count(facts.returnees)});
      case 'feasibility': return say('estimated cost {n} USD', {n: count(facts.cost_usd)});
      default: return null;
    }
  }

  function points(value) { return say('{n} pts', {n: number(value, 1)}); }

  function scoreBar(row, maxScore) {
    var bar = el('span', {'class': 'bar', 'aria-hidden': 'true'});
    config.criteria.forEach(function (name, i) {
      var value = row.contributions[name] || 0;
      if (value <= 0 || maxScore <= 0) { return; }
      var part = el('span', {title: criterionName(name) + ': ' + points(value)});
      part.style.width = (100 * value / maxScore) + '%';
      part.style.background = dash.palette.criteria[i % dash.palette.criteria.length];
      bar.appendChild(part);
    });
    return bar;
  }

  // The three criteria that gave most points, each in units where it has one, then the estimated cost.
  function reasons(row) {
    var top = config.criteria
      .filter(function (name) { return (row.contributions[name] || 0) > 0; })
      .sort(function (a, b) { return row.contributions[b] - row.contributions[a]; })
      .slice(0, 3)
      .map(function (name) {
        return (inUnits(name, row.facts) || criterionName(name)) + ' (' + points(row.contributions[name]) + ')';
      });
    if (row.facts && top.join().indexOf(inUnits('feasibility', row.facts)) < 0) {
      top.push(inUnits('feasibility', row.facts));
    }
    return top.join(' · ');
  }

  function operators(tasks) {
    return tasks.map(function (t) { return t.acronym || t.organisation; })
      .filter(function (v, i, all) { return all.indexOf(v) === i; }).join(', ');
  }

  // Who works the area now: the operators of its active tasks, flagged when one is another's.
  function taskBadge(row) {
    var tasks = row.active_tasks || [];
    if (!tasks.length) { return el('span', {'class': 'task-state none'}, dash.t('no active task')); }
    var text = say('active task: {operators}', {operators: operators(tasks)});
    if (row.other_operator_task) {
      var badge = el('span', {'class': 'task-state other', title: dash.t('Another operator has an active task here')});
      badge.appendChild(el('span', {'aria-hidden': 'true'}, '⚠ '));
      badge.appendChild(document.createTextNode(text));
      return badge;
    }
    return el('span', {'class': 'task-state own'}, text);
  }

  function listRow(row, maxScore) {
    dash.rows[row.hazardous_area_id] = row;
    var item = el('li', {'data-area-id': row.hazardous_area_id, 'data-rank': row.rank});
    if (row.other_operator_task) { item.classList.add('other-task'); }
    var button = el('button', {type: 'button'});
    button.appendChild(el('span', {'class': 'rank'}, row.rank));
    button.appendChild(el('span', {'class': 'name'}, row.name || row.national_id || say('Area {id}', {id: row.hazardous_area_id})));
    button.appendChild(el('span', {'class': 'score', title: dash.t('score (points)')}, number(row.score, 1)));
    button.appendChild(scoreBar(row, maxScore));
    button.appendChild(el('span', {'class': 'place'}, row.place || ''));
    var meta = [shortClass(row.classification), label('area_status', row.status), m2(row.remaining_area_m2),
      (row.contamination || []).join(', '), say('national #{n}', {n: row.national_rank})].filter(Boolean).join(' · ');
    button.appendChild(el('span', {'class': 'meta'}, meta));
    button.appendChild(taskBadge(row));
    button.appendChild(el('span', {'class': 'reasons' + (row.gated ? ' gated' : '')},
      row.gated ? say('not ranked: {why}', {why: row.gated}) : reasons(row)));
    button.addEventListener('click', function () { selectArea(row.hazardous_area_id, true); });
    item.appendChild(button);
    return item;
  }

  var PAGE = 50;
  var listState = {params: null, shown: 0, total: 0, maxScore: 0};

  function listPage(params, offset) {
    var listParams = new URLSearchParams(params);
    listParams.set('scenario', scenarioSelect.value);
    listParams.set('limit', String(PAGE));
    listParams.set('offset', String(offset));
    return getJSON(api('/api/v1/priorities', listParams));
  }

  function showCount(ranking) {
    var node = document.getElementById('ranking-count');
    node.textContent = listState.total
      ? say('Showing {shown} of {total} ranked areas', {shown: count(listState.shown), total: count(listState.total)}) +
        ' · ' + ranking.scenario + ' v' + ranking.scenario_version
      : dash.t('No open or worked-on area matches these filters.');
    var more = document.getElementById('list-more');
    more.hidden = listState.shown >= listState.total;
    more.textContent = say('Show {n} more', {n: Math.min(PAGE, listState.total - listState.shown)});
  }

  function loadList(params, generation) {
    var list = document.getElementById('priority-list');
    document.getElementById('ranking-count').textContent = dash.t('Ranking…');
    return listPage(params, 0).then(function (ranking) {
      if (stale(generation)) { return; }
      list.textContent = '';
      dash.rows = {};
      listState = {params: params, shown: ranking.items.length, total: ranking.total,
        maxScore: ranking.items.reduce(function (m, r) { return Math.max(m, r.score); }, 0)};
      ranking.items.forEach(function (row) { list.appendChild(listRow(row, listState.maxScore)); });
      showCount(ranking);
    });
  }

  // The next page under the same filter; the focus goes to the first new row, so a keyboard user reads on.
  function showMore() {
    var generation = dash.generation;
    var more = document.getElementById('list-more');
    more.disabled = true;
    return listPage(listState.params, listState.shown).then(function (ranking) {
      if (stale(generation)) { return; }
      var list = document.getElementById('priority-list');
      var first = null;
      ranking.items.forEach(function (row) {
        var item = listRow(row, listState.maxScore);
        first = first || item;
        list.appendChild(item);
      });
      listState.shown += ranking.items.length;
      showCount(ranking);
      if (first) { first.querySelector('button').focus(); }
    }).catch(function (error) { status(error.message, true); })
      .then(function () { more.disabled = false; });
  }

  function loadBands(params, generation) {
    if (dash.colourBy !== 'rank') { return Promise.resolve(); }
    var bandParams = new URLSearchParams(params);
    bandParams.set('scenario', scenarioSelect.value);
    return getJSON(api('/api/v1/dashboard/rank-bands', bandParams)).then(function (result) {
      if (!stale(generation)) { dash.bands = result.bands; }
    });
  }

  dash.rankColour = function (p) {
    if (p.score === undefined || p.score === null || p.gated) { return dash.palette.notRanked; }
    for (var i = 0; i < dash.bands.length; i++) {
      if (p.score >= dash.bands[i].min_score) { return dash.palette.rankBands[i]; }
    }
    return dash.palette.rankBands[dash.palette.rankBands.length - 1];
  };

  var ADMIN = ['oblast_code', 'raion_code', 'hromada_code'];

  // The map looks at the chosen unit (its boundary, else its areas); other filters leave the view alone.
  function fitToUnit(params, generation) {
    var unit = new URLSearchParams();
    ADMIN.forEach(function (key) { if (params.get(key)) { unit.set(key, params.get(key)); } });
    if (!unit.toString()) { return Promise.resolve(); }
    return getJSON(api('/api/v1/dashboard/extent', unit)).then(function (extent) {
      if (stale(generation) || !extent.bounds) { return; }
      var b = extent.bounds;
      dash.fitted = extent;
      window.maisMap.fitBounds([[b[1], b[0]], [b[3], b[2]]], {padding: [16, 16]});
    });
  }

  // `why`: 'unit' when an admin unit changed (the map then fits it), else the view stays as it is.
  function applyFilters(why) {
    var params = filterQuery();
    var generation = ++dash.generation;
    status(dash.t('loading…'));
    var work = [config.figures ? loadHeadline(params, generation) : null, loadList(params, generation),
      why === 'unit' ? fitToUnit(params, generation) : null,
      config.accidents ? loadAccidents(generation) : null,
      loadBands(params, generation).then(function () { if (!stale(generation)) { refreshTiles(params); } })];
    return Promise.all(work).then(function () {
      if (stale(generation)) { return; }
      status(say('updated {time}', {time: new Date().toLocaleTimeString(dash.locale(), {hour: '2-digit', minute: '2-digit'})}));
      if (why === 'scenario' && shownArea !== null && !document.getElementById('details').hidden) {
        selectArea(shownArea, false);  // the open card follows the scenario: rank and reasons are its
      }
    }).catch(function (error) { if (!stale(generation)) { status(error.message, true); } });
  }

  // Raions and hromadas offered follow the chosen oblast / raion (KATOTTG codes nest by prefix).
  function narrowAdminChoices() {
    var oblast = form.elements.oblast_code.value;
    var raion = form.elements.raion_code.value;
    [['raion_code', oblast], ['hromada_code', raion || oblast]].forEach(function (pair) {
      var select = form.elements[pair[0]];
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = Boolean(option.value && pair[1] && option.value.indexOf(pair[1]) !== 0);
      });
      if (select.selectedOptions[0] && select.selectedOptions[0].hidden) { select.value = ''; }
    });
  }

  function row(cells, numeric) {
    var tr = el('tr');
    cells.forEach(function (cell, i) {
      var node = el(i ? 'td' : 'th', numeric && i ? {'class': 'n'} : {});
      if (cell instanceof Node) { node.appendChild(cell); } else { node.textContent = cell; }
      tr.appendChild(node);
    });
    return tr;
  }

  function table(rows, numeric) {
    var t = el('table');
    rows.forEach(function (cells) { t.appendChild(row(cells, numeric)); });
    return t;
  }

  // Copy to the clipboard; where the Clipboard API is refused (plain http, old browsers) a selected
  // text field and execCommand('copy') do it.
  function copyText(text, button) {
    var done = function () {
      button.textContent = dash.t('Copied');
      setTimeout(function () { button.textContent = dash.t('Copy'); }, 1500);
    };
    var fallback = function () {
      var area = el('textarea', {'aria-hidden': 'true'});
      area.value = text;
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      try { document.execCommand('copy'); done(); } catch (e) { status(dash.t('Copy failed'), true); }
      document.body.removeChild(area);
      button.focus();
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else { fallback(); }
  }

  function coordinates(c) {
    var box = el('div', {'class': 'coordinates'});
    var decimal = number(c.lat, 6) === '' ? '' : c.lat.toFixed(6) + ', ' + c.lon.toFixed(6);
    [[dash.t('Decimal degrees (lat, lon)'), decimal, 'decimal'], ['MGRS', c.mgrs, 'mgrs']].forEach(function (line) {
      var wrap = el('div', {'class': 'coordinate', 'data-coordinate': line[2]});
      wrap.appendChild(el('span', {'class': 'muted'}, line[0] + ': '));
      wrap.appendChild(el('code', {}, line[1]));
      var button = el('button', {type: 'button', 'class': 'copy', 'aria-label': dash.t('Copy') + ' ' + line[0]},
        dash.t('Copy'));
      button.addEventListener('click', function () { copyText(line[1], button); });
      wrap.appendChild(button);
      box.appendChild(wrap);
    });
    return box;
  }

  function priorityPart(body, p) {
    if (!p) {
      body.appendChild(el('h3', {}, dash.t('Priority')));
      body.appendChild(el('p', {'class': 'muted'}, dash.t('not ranked (closed or not scored)')));
      return;
    }
    var title = p.rank === null
      ? say('Priority: national rank {national}, score {score}', {national: p.national_rank, score: number(p.score, 2)})
      : say('Priority: rank {rank}, score {score}', {rank: p.rank, score: number(p.score, 2)});
    body.appendChild(el('h3', {'class': 'priority-title'}, title));
    body.appendChild(el('p', {'class': 'muted'}, say('national rank {n} · scenario {scenario} v{version}',
      {n: p.national_rank, scenario: p.scenario, version: p.scenario_version}) +
      (p.gated ? ' · ' + say('not ranked: {why}', {why: p.gated}) : '')));
    var rows = [[dash.t('reason'), dash.t('measured'), dash.t('points')]];
    config.criteria
      .filter(function (name) { return p.contributions[name] > 0 || inUnits(name, p.facts); })
      .sort(function (a, b) { return p.contributions[b] - p.contributions[a]; })
      .forEach(function (name) {
        rows.push([criterionName(name), inUnits(name, p.facts) || '–', number(p.contributions[name], 2)]);
      });
    body.appendChild(table(rows, true)).classList.add('reasons-table');
  }

  function history(entries) {
    var box = el('details', {'class': 'timeline'});
    box.appendChild(el('summary', {}, say('Timeline ({n} entries)', {n: entries.length})));
    var rows = [[dash.t('date'), dash.t('what happened'), dash.t('m² remaining')]];
    entries.forEach(function (e) {
      rows.push([new Date(e.date + 'T00:00:00').toLocaleDateString(dash.locale(), {dateStyle: 'medium'}), e.summary,
        count(e.remaining_area_m2)]);
    });
    box.appendChild(table(rows, false));
    return box;
  }

  var shownArea = null;

  function showDetails(d) {
    shownArea = d.id;
    var body = document.getElementById('details-body');
    body.textContent = '';
    body.appendChild(el('h2', {}, d.name || d.national_id || say('Area {id}', {id: d.id})));
    body.appendChild(el('p', {'class': 'place'}, d.place || ''));
    body.appendChild(el('p', {'class': 'muted'}, [label('classification', d.classification), label('area_status', d.status),
      (d.contamination || []).join(', ')].filter(Boolean).join(' · ')));
    if (d.other_operator_task) {
      body.appendChild(el('p', {'class': 'task-state other', role: 'note'},
        '⚠ ' + say('Another operator has an active task here: {operators}',
          {operators: operators(d.tasks.filter(function (t) { return t.active; }))})));
    }
    if (d.coordinates) { body.appendChild(coordinates(d.coordinates)); }
    priorityPart(body, d.priority);
    body.appendChild(el('h3', {}, dash.t('Land (m²)')));
    body.appendChild(table([
      [dash.t('original'), count(d.original_area_m2)],
      [dash.t('remaining'), count(d.remaining_area_m2)],
      [dash.t('cancelled (NTS)'), count(d.cancelled_m2)],
      [dash.t('reduced (TS)'), count(d.reduced_m2)],
      [dash.t('cleared'), count(d.cleared_m2)]
    ], true));
    body.appendChild(el('h3', {}, say('Tasks ({n})', {n: d.tasks.length})));
    if (d.tasks.length) {
      body.appendChild(table(d.tasks.map(function (t) {
        return [t.reference, t.organisation, label('task_status', t.status) + (t.active ? ' ●' : '')];
      })));
    } else { body.appendChild(el('p', {'class': 'muted'}, dash.t('none'))); }
    body.appendChild(el('h3', {}, dash.t('Finds')));
    if (d.finds.length) {
      body.appendChild(table([[dash.t('category'), dash.t('found'), dash.t('destroyed')]].concat(d.finds.map(function (f) {
        return [label('contamination_type', f.category), count(f.items), count(f.destroyed || 0)];
      })), true));
    } else { body.appendChild(el('p', {'class': 'muted'}, dash.t('none recorded'))); }
    if (d.accidents) {  // null for readers who may not see accidents (public reading)
      body.appendChild(el('h3', {}, dash.t('Accidents')));
      body.appendChild(el('p', {}, say('{n} accident(s), {killed} killed, {injured} injured',
        {n: d.accidents.accidents, killed: d.accidents.killed, injured: d.accidents.injured})));
    }
    if (d.history) { body.appendChild(history(d.history)); }
    // Other parts of the page (tasking) add their controls for this area here.
    body.appendChild(el('div', {id: 'details-actions'}));
    document.getElementById('details').hidden = false;
    document.dispatchEvent(new CustomEvent('mais:details', {detail: d}));
  }

  var highlighted = null;
  function highlight(id) {
    var hazards = window.maisLayers.hazards;
    if (highlighted !== null) { hazards.resetFeatureStyle(highlighted); }
    highlighted = id;
    hazards.setFeatureStyle(id, {weight: 4, color: '#00B3FF', fill: true, fillOpacity: 0.2, fillColor: '#00B3FF'});
  }

  // The area's details with its rank under the list's scenario and filters (any area, listed or not).
  function selectArea(id, zoom) {
    Array.prototype.forEach.call(document.querySelectorAll('#priority-list li'), function (li) {
      li.classList.toggle('selected', li.getAttribute('data-area-id') === String(id));
    });
    var params = filterQuery();
    params.set('scenario', scenarioSelect.value);
    return getJSON(api('/api/v1/dashboard/areas/' + id, params)).then(function (d) {
      if (zoom) {
        var b = d.bounds;
        // Keep the area clear of the details card on the right.
        window.maisMap.fitBounds([[b[1], b[0]], [b[3], b[2]]],
          {maxZoom: 15, paddingTopLeft: [40, 40], paddingBottomRight: dash.cardPadding ? dash.cardPadding() : [340, 40]});
      }
      showDetails(d);
      highlight(d.id);
    }).catch(function (error) { status(error.message, true); });
  }
  dash.selectArea = selectArea;

  // ---- Accidents: the same filters as the areas, and dates; drawn above the areas; by click and key ----
  var accidents = {layer: null, markers: {}};

  function accidentQuery() {
    var params = new URLSearchParams(filterQuery());
    ['reported_from', 'reported_to'].forEach(function (k) { params.delete(k); });  // the areas' dates, not these
    var dates = document.getElementById('accident-dates');
    ['occurred_from', 'occurred_to'].forEach(function (k) {
      if (dates && dates.elements[k].value) { params.set(k, dates.elements[k].value); }
    });
    return params;
  }

  function accidentText(p) {
    var when = p.occurred_on === null ? dash.t('date unknown')
      : new Date(p.occurred_on + 'T00:00:00').toLocaleDateString(dash.locale(), {dateStyle: 'medium'});
    return say('Accident {date} · {type} · {victims} victim(s), {killed} killed',
      {date: when, type: label('accident_type', p.type), victims: p.victims, killed: p.deaths});
  }

  function openAccident(id) {
    var marker = accidents.markers[id];
    if (!marker) { return; }
    var map = window.maisMap;
    accidents.layer.zoomToShowLayer(marker, function () { marker.openPopup(); });
    if (map.getZoom() < 11) { map.setView(marker.getLatLng(), 11); }
  }
  dash.openAccident = openAccident;

  function accidentMarker(feature) {
    var p = feature.properties, c = feature.geometry.coordinates;
    var text = accidentText(p);
    // A marker (not a canvas circle): it sits in the marker pane above every area, takes the Tab key
    // and opens its popup on Enter (Leaflet's keyboard option).
    var marker = L.marker([c[1], c[0]], {
      keyboard: true, title: text, alt: text, riseOnHover: true,
      icon: L.divIcon({className: 'accident-marker', html: '<span aria-hidden="true"></span>', iconSize: [14, 14]})
    });
    marker.bindPopup(text);
    marker.on('keypress', function (e) {
      if (e.originalEvent && (e.originalEvent.key === 'Enter' || e.originalEvent.key === ' ')) { marker.openPopup(); }
    });
    return marker;
  }

  function showAccidentList(features) {
    var list = document.getElementById('accident-list');
    if (!list) { return; }
    list.textContent = '';
    document.getElementById('accident-count').textContent = say('{n} accident(s)', {n: count(features.length)});
    features.slice(0, 200).forEach(function (f) {
      var item = el('li', {'data-accident-id': f.properties.id});
      var button = el('button', {type: 'button'}, accidentText(f.properties));
      button.addEventListener('click', function () { openAccident(f.properties.id); });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function loadAccidents(generation) {
    return getJSON(api('/api/v1/dashboard/accidents.geojson', accidentQuery())).then(function (collection) {
      if (generation !== undefined && stale(generation)) { return; }
      accidents.layer.clearLayers();
      accidents.markers = {};
      var markers = collection.features.map(function (f) {
        var marker = accidentMarker(f);
        accidents.markers[f.properties.id] = marker;
        return marker;
      });
      accidents.layer.addLayers(markers);
      showAccidentList(collection.features);
    });
  }

  function accidentsLayer() {
    accidents.layer = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40});
    return accidents.layer;
  }

  function lastMonths(months) {
    var dates = document.getElementById('accident-dates');
    var today = new Date();
    var from = new Date(today.getFullYear(), today.getMonth() - months, today.getDate() + 1);
    var iso = function (d) {
      return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
    };
    dates.elements.occurred_from.value = iso(from);
    dates.elements.occurred_to.value = iso(today);
  }

  function initAccidentFilters() {
    var dates = document.getElementById('accident-dates');
    if (!dates) { return; }
    var reload = function () {
      loadAccidents(dash.generation).catch(function (error) { status(error.message, true); });
    };
    dates.addEventListener('change', reload);
    dates.addEventListener('submit', function (e) { e.preventDefault(); });
    document.getElementById('accidents-12-months').addEventListener('click', function () { lastMonths(12); reload(); });
    document.getElementById('accidents-any-date').addEventListener('click', function () { dates.reset(); reload(); });
  }

  // Settlements come after the first hazards: 1,469 markers built at start-up held back the first tiles.
  function settlementsLayer() {
    var layer = L.geoJSON(null, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {radius: 2.5, color: '#777777', weight: 1, fillColor: '#ffffff', fillOpacity: 1});
      },
      onEachFeature: function (feature, marker) {
        var p = feature.properties;
        marker.bindTooltip(p.name + ' · ' + say('{n} people', {n: count(p.population)}));
      }
    });
    getJSON('/api/v1/dashboard/settlements.geojson').then(function (collection) { layer.addData(collection); })
      .catch(function (error) { status('settlements: ' + error.message, true); });
    return layer;
  }

  // The donor's figures: the headline of its report (the server narrows it to what the donor funds).
  function showDonorReport(report) {
    document.getElementById('donor-name').textContent = report.filters.donor || '';
    Array.prototype.forEach.call(document.querySelectorAll('[data-report]'), function (node) {
      var key = node.getAttribute('data-report');
      var value = report.headline[key];
      node.textContent = /_m2$/.test(key) ? count(value) + ' m²' : count(value);
    });
    var cost = document.getElementById('donor-cost');
    cost.textContent = '';
    var cents = {minimumFractionDigits: 2, maximumFractionDigits: 2};
    cost.appendChild(table([['currency', 'spent', 'm² released', 'per m²']].concat(report.tables.cost.map(function (c) {
      return [c.currency, count(c.expenditure), count(c.released_m2),
        c.cost_per_m2 === null ? '–' : c.cost_per_m2.toLocaleString('en', cents)];
    })), true));
    var agreements = document.getElementById('donor-agreements');
    agreements.textContent = '';
    agreements.appendChild(table([['agreement', 'operator', 'm² released']].concat(report.tables.agreements.map(
      function (a) { return [a.reference, a.organisation, count(a.released_m2)]; })), true));
  }

  function initDonor() {
    window.maisLayers.released.on('click', function (e) {
      var p = e.layer.properties;
      var content = el('div');
      content.appendChild(el('strong', {}, p.kind + ' · ' + count(p.area_m2) + ' m²'));
      content.appendChild(el('div', {}, p.method.replace(/_/g, ' ') + ', ' + p.released_on));
      L.popup().setLatLng(e.latlng).setContent(content).openOn(window.maisMap);
    });
    window.maisControl.addOverlay(settlementsLayer().addTo(window.maisMap), 'Settlements (hromada centres)');
    status('loading…');
    getJSON('/api/v1/reports/donor').then(function (report) {
      showDonorReport(report);
      status('as of ' + new Date(report.as_of).toLocaleString('en-GB', {dateStyle: 'medium', timeStyle: 'short'}));
    }).catch(function (error) { status(error.message, true); });
  }

  // Whose tasks count as another operator's (docs/dashboard.md): an operator's account, all but its
  // organisation's; any other viewer (authority, coordinator, admin), every operator's.
  function initViewer() {
    var box = form.elements.active_task_not_of;
    // Nobody logged in (public reading): no account to ask about, any operator's tasks are another's.
    if (!box || !document.querySelector('#user .who')) { return Promise.resolve(); }
    return getJSON('/api/v1/me').then(function (me) {
      dash.viewer = me;
      box.value = me.role === 'operator' && me.organisation_id ? String(me.organisation_id) : '0';
      if (box.checked) { applyFilters(); }
    }).catch(function () { /* a token without an account: any operator's tasks */ });
  }

  function init() {
    config = JSON.parse(document.getElementById('mais-config').textContent);
    dash.palette = config.palette;
    if (window.innerWidth < 1280 || window.innerHeight < 800) { document.getElementById('legend').open = false; }
    if (config.view === 'donor') { initDonor(); return; }
    form = document.getElementById('filters');
    scenarioSelect = document.getElementById('scenario');
    hazardsUrl = config.tiles;
    var map = window.maisMap;
    // Leaflet takes the map's lowest zoom from its layers when the map sets none; with the hazards
    // layer briefly removed (refreshTiles) that was the detail layers' 9, and every filter change
    // zoomed a national view in to 9. A fixed lowest zoom keeps the view where the user left it.
    if (map.options.minZoom === undefined) { map.setMinZoom(3); }
    if (config.accidents) {
      window.maisControl.addOverlay(accidentsLayer().addTo(map), dash.t('Accidents'));
      initAccidentFilters();
    }

    form.addEventListener('change', function (event) {
      var unit = ADMIN.indexOf(event.target.name) >= 0;
      if (event.target.name === 'oblast_code' || event.target.name === 'raion_code') { narrowAdminChoices(); }
      applyFilters(unit ? 'unit' : 'filter');
    });
    form.addEventListener('reset', function () {
      setTimeout(function () { narrowAdminChoices(); applyFilters('filter'); });
    });
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    scenarioSelect.addEventListener('change', function () { applyFilters('scenario'); });
    document.getElementById('list-more').addEventListener('click', showMore);
    Array.prototype.forEach.call(document.querySelectorAll('input[name="colour_by"]'), function (radio) {
      radio.addEventListener('change', function () {
        dash.colourBy = radio.value;
        document.querySelector('[data-legend="imas"]').hidden = dash.colourBy !== 'imas';
        document.querySelector('[data-legend="rank"]').hidden = dash.colourBy !== 'rank';
        applyFilters('colour');  // one pass, so no answer of an earlier pass is dropped without a newer one
      });
    });
    document.getElementById('details-close').addEventListener('click', function () {
      document.getElementById('details').hidden = true;
      shownArea = null;
    });
    window.maisLayers.hazards.on('click', function (e) {
      var p = e.layer.properties;
      // Below zoom 10 a dot may stand for several areas: zoom in towards them.
      if (p.id === undefined) { map.setView(e.latlng, map.getZoom() + 2); } else { selectArea(p.id, false); }
    });
    window.maisLayers.tasks.on('click', function (e) {
      var p = e.layer.properties;
      var content = el('div');
      content.appendChild(el('strong', {}, p.reference));
      content.appendChild(el('div', {}, p.organisation));
      content.appendChild(el('div', {}, label('task_status', p.status) + ', ' + m2(p.area_m2)));
      L.popup().setLatLng(e.latlng).setContent(content).openOn(map);
    });
    // The list and figures queries compete with the first tiles for the server: let the map draw first.
    var started = false;
    var start = function () {
      if (started) { return; }
      started = true;
      applyFilters('start');
      initViewer();
      window.maisControl.addOverlay(settlementsLayer().addTo(map), dash.t('Settlements (hromada centres)'));
    };
    window.maisLayers.hazards.once('load', start);
    setTimeout(start, 1500);
  }

  document.addEventListener('DOMContentLoaded', init);
}());
