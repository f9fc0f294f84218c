/* Tasking from the map (docs/tasking.md): in an area's details card, a coordinator creates a task on the
   whole area or on a part drawn with Geoman, sees the deconfliction answer of POST /api/v1/tasks/check
   (the other task, its operator, the overlap in m²) before Save is offered, and saves through the same
   API; an operator records progress on its active tasks. The page carries the rules (config.tasking,
   app/services/tasking/rights.py), /api/v1/me says who is looking; the server checks every change again.
   Plain ES5-level DOM code like dashboard.js, whose helpers it uses (t, locale, send, selectArea). */
(function () {
  'use strict';

  var dash, config, rules, me = null;
  var state = {area: null, drawn: null, preview: null, saved: null};
  // English names of task statuses, when the page's config carries no labels (translated in tasking.po).
  var STATUS = {draft: 'Draft', assigned: 'Assigned', in_progress: 'In progress', suspended: 'Suspended',
    completed: 'Completed', qa_passed: 'QA passed', qa_failed: 'QA failed'};
  var LIVE_AREAS = ['open', 'worked_on'];
  var MEASURE = 'Overlap in m² with geodesic edges (ST_Area of geography), as deconfliction records it.';

  function t(text) { return dash.t(text); }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function number(value, digits) {
    return Number(value || 0).toLocaleString(dash.locale(), {maximumFractionDigits: digits || 0});
  }

  function day(iso) {
    return new Date(iso + 'T00:00:00').toLocaleDateString(dash.locale(), {day: '2-digit', month: '2-digit',
      year: '2-digit'});
  }

  function m2(value) { return number(Math.round(Number(value || 0))) + ' m²'; }

  function statusLabel(code) {
    var labels = config.labels && config.labels.task_status;
    return (labels && labels[code]) || t(STATUS[code] || code);
  }

  function getJSON(url) { return dash.send('GET', url); }

  // Whether the user may use a capability (on a record of `organisationId`, for those an operator
  // holds for its own organisation only): the rule of app/domain/access.py, applied to /api/v1/me.
  function may(capability, organisationId) {
    if (!me || rules.grants[capability].indexOf(me.role) < 0) { return false; }
    var scoped = rules.scoped_roles.indexOf(me.role) >= 0 && rules.own_organisation.indexOf(capability) >= 0;
    return !scoped || organisationId === undefined || organisationId === me.organisation_id;
  }

  function field(label, control) {
    var wrap = el('label', {'class': 'tasking-field'});
    wrap.appendChild(el('span', {}, label));
    wrap.appendChild(control);
    return wrap;
  }

  function button(text, attrs) { return el('button', Object.assign({type: 'button'}, attrs || {}), text); }

  function showError(node, error) {
    node.textContent = '';
    node.appendChild(el('p', {'class': 'error', role: 'alert'}, error.message || String(error)));
  }

  // ---- the map: the part being drawn, and the ground a check answered --------------------------------

  function stopDrawing() {
    var map = window.maisMap;
    if (map.pm) { map.pm.disableDraw(); }
    map.off('pm:create', onDrawn);
    map.getContainer().classList.remove('tasking-drawing');
    if (state.drawn) { map.removeLayer(state.drawn); state.drawn = null; }
  }

  function clearPreview() {
    if (state.preview) { window.maisMap.removeLayer(state.preview); state.preview = null; }
  }

  function onDrawn(event) {
    if (state.drawn) { window.maisMap.removeLayer(state.drawn); }
    state.drawn = event.layer;
    state.drawn.setStyle({color: '#B35900', weight: 2, dashArray: '4 3', fillOpacity: 0.1});
    window.maisMap.getContainer().classList.remove('tasking-drawing');
    if (state.onDrawn) { state.onDrawn(); }
  }

  function startDrawing() {
    var map = window.maisMap;
    stopDrawing();
    // Clicks while drawing are corners: they must not open the area or task under them (dashboard.css).
    map.getContainer().classList.add('tasking-drawing');
    map.on('pm:create', onDrawn);
    map.pm.enableDraw('Polygon', {snappable: false, continueDrawing: false, allowSelfIntersection: false,
      templineStyle: {color: '#B35900'}, hintlineStyle: {color: '#B35900', dashArray: '4 3'},
      pathOptions: {color: '#B35900'}});
  }

  function showPreview(geometry) {
    clearPreview();
    state.preview = L.geoJSON(geometry, {interactive: false,
      style: {color: '#B35900', weight: 3, fill: true, fillColor: '#B35900', fillOpacity: 0.15}})
      .addTo(window.maisMap);
  }

  // Tiles of tasks are kept a minute by the browser (app/api/tiles.py): a new URL fetches them afresh.
  function refreshTasksLayer() {
    var layer = window.maisLayers.tasks, map = window.maisMap;
    var url = layer._url.replace(/([?&])v=\d+(&|$)/, '$1').replace(/[?&]$/, '');
    layer.setUrl(url + (url.indexOf('?') < 0 ? '?' : '&') + 'v=' + Date.now(), true);
    // As dashboard.js does: redraw keeps a fractional zoom as the tile zoom, a remove/add does not.
    if (map.hasLayer(layer)) { map.removeLayer(layer); map.addLayer(layer); } else { layer.redraw(); }
  }

  // ---- creating a task ------------------------------------------------------------------------------

  function operatorChoices(select) {
    var url = '/api/v1/organisations?kind=ngo,commercial,state,military,other&limit=1000';
    return getJSON(url).then(function (page) {
      page.items
        .filter(function (o) { return !(rules.scoped_roles.indexOf(me.role) >= 0) || o.id === me.organisation_id; })
        .forEach(function (o) {
          select.appendChild(el('option', {value: String(o.id)}, o.name + (o.acronym ? ' (' + o.acronym + ')' : '')));
        });
    });
  }

  function createForm(area, actions) {
    var form = el('form', {'class': 'tasking-form', id: 'tasking-create', 'aria-label': t('New task')});
    form.appendChild(el('h3', {}, t('New task on this area')));
    var operator = el('select', {name: 'organisation_id', required: 'required'});
    var reference = el('input', {name: 'reference', required: 'required', autocomplete: 'off'});
    var priority = el('input', {name: 'priority', type: 'number', min: '1', step: '1'});
    var status = el('select', {name: 'status'});
    rules.new_statuses.forEach(function (s) { status.appendChild(el('option', {value: s}, statusLabel(s))); });
    status.value = 'assigned';
    var start = el('input', {name: 'planned_start', type: 'date'});
    var end = el('input', {name: 'planned_end', type: 'date'});
    [[t('Operator'), operator], [t('Task reference'), reference], [t('Priority'), priority], [t('Status'), status],
      [t('Planned start'), start], [t('Planned end'), end]].forEach(function (pair) {
      form.appendChild(field(pair[0], pair[1]));
    });
    var ground = el('fieldset', {'class': 'tasking-ground'});
    ground.appendChild(el('legend', {}, t('Ground')));
    [['whole', t('Whole area')], ['part', t('Draw part of it')]].forEach(function (pair) {
      var label = el('label');
      var radio = el('input', {type: 'radio', name: 'ground', value: pair[0]});
      if (pair[0] === 'whole') { radio.checked = true; }
      label.appendChild(radio);
      label.appendChild(document.createTextNode(' ' + pair[1]));
      ground.appendChild(label);
    });
    form.appendChild(ground);
    var hint = el('p', {'class': 'muted tasking-hint', hidden: 'hidden'},
      t('Click the corners of the part on the map; click the first corner again to close it.'));
    form.appendChild(hint);
    var overrideField = field(t('Reason to go ahead despite the overlap'),
      el('textarea', {name: 'override', rows: '2'}));
    overrideField.hidden = true;
    form.appendChild(overrideField);
    var answerNode = el('div', {'class': 'tasking-answer', 'aria-live': 'polite'});
    form.appendChild(answerNode);
    var buttons = el('div', {'class': 'tasking-buttons'});
    var check = button(t('Check'), {'class': 'tasking-check'});
    var save = el('button', {type: 'submit', 'class': 'tasking-save', disabled: 'disabled'}, t('Save'));
    var cancel = button(t('Cancel'), {'class': 'tasking-cancel'});
    [check, save, cancel].forEach(function (b) { buttons.appendChild(b); });
    form.appendChild(buttons);

    var checked = null;  // the body the last check answered, and its answer
    function invalidate() {
      checked = null;
      save.disabled = true;
      clearPreview();
      answerNode.textContent = '';
    }
    form.addEventListener('input', invalidate);
    form.addEventListener('change', function (event) {
      if (event.target.name === 'ground') {
        var part = form.elements.ground.value === 'part';
        hint.hidden = !part;
        if (part) { startDrawing(); } else { stopDrawing(); }
      }
      invalidate();
    });
    state.onDrawn = invalidate;

    function body() {
      var b = {reference: reference.value.trim(), organisation_id: Number(operator.value),
        hazardous_area_ids: [area.id], status: status.value};
      if (priority.value) { b.priority = Number(priority.value); }
      if (start.value) { b.planned_start = start.value; }
      if (end.value) { b.planned_end = end.value; }
      if (form.elements.ground.value === 'part') {
        if (!state.drawn) { throw new Error(t('Draw the part on the map first.')); }
        b.geometry = state.drawn.toGeoJSON().geometry;
      }
      var reason = form.elements.override.value.trim();
      if (reason && !overrideField.hidden) { b.deconfliction_override = {reason: reason}; }
      return b;
    }

    check.addEventListener('click', function () {
      if (!form.reportValidity()) { return; }
      var b;
      try { b = body(); } catch (error) { showError(answerNode, error); return; }
      check.disabled = true;
      answerNode.textContent = t('Checking…');
      dash.send('POST', '/api/v1/tasks/check', b).then(function (answer) {
        checked = {body: b, answer: answer};
        showAnswer(answerNode, answer, b);
        showPreview(answer.geometry);
        var refused = answer.outcome === 'refused';
        // The coordinator's decision to let the work overlap: offered, and then checked again.
        if (refused && answer.conflicts.length && may('task.override') && overrideField.hidden) {
          overrideField.hidden = false;
        }
        save.disabled = refused;
      }).catch(function (error) { showError(answerNode, error); }).then(function () { check.disabled = false; });
    });

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (!checked) { return; }
      save.disabled = true;
      dash.send('POST', '/api/v1/tasks', checked.body).then(function (created) {
        var p = created.properties;
        state.saved = {areaId: area.id, id: created.id, text: t('Task saved') + ': ' + p.reference + ' · ' +
          p.organisation + ' · ' + statusLabel(p.status) + ' · ' + m2(p.area_m2)};
        stopDrawing();
        clearPreview();
        refreshTasksLayer();
        return dash.selectArea(area.id, false);  // the details card again, with the new task among its tasks
      }).catch(function (error) { save.disabled = false; showError(answerNode, error); });
    });

    cancel.addEventListener('click', function () { closeForms(actions); });
    operatorChoices(operator).catch(function (error) { showError(answerNode, error); });
    return form;
  }

  // The deconfliction answer: what saving `body` would do, and each active task its ground overlaps.
  function showAnswer(node, answer, body) {
    node.textContent = '';
    var verdict = {
      clear: t('No active task overlaps this ground: it can be saved.'),
      warned: body.deconfliction_override
        ? t('Overlaps active tasks: saved with your reason, recorded for each overlap.')
        : t('Overlaps active tasks: saved as a draft, checked again when assigned.'),
      refused: t('Overlaps active tasks: saving is refused unless a coordinator gives a reason to go ahead.')
    }[answer.outcome];
    node.appendChild(el('p', {'class': 'tasking-outcome ' + answer.outcome, 'data-outcome': answer.outcome},
      verdict));
    var summary = el('p', {'class': 'tasking-area', 'data-area-m2': String(answer.area_m2)},
      t('Ground of the new task') + ': ' + m2(answer.area_m2));
    node.appendChild(summary);
    if (!answer.conflicts.length) { node.scrollIntoView({block: 'nearest'}); return; }
    var table = el('table', {'class': 'tasking-conflicts'});
    var head = el('tr');
    [t('Task'), t('Operator'), t('Overlap')].forEach(function (h, i) {
      head.appendChild(el('th', i === 2 ? {'class': 'n'} : {}, h));
    });
    table.appendChild(head);
    answer.conflicts.forEach(function (c) {
      var tr = el('tr', {'data-task-id': String(c.task_id)});
      // Every task answered is active: its status goes in the tooltip, the card is narrow.
      tr.appendChild(el('td', {'class': 'reference', title: statusLabel(c.status)}, c.reference));
      tr.appendChild(el('td', {'class': 'operator'}, c.organisation));
      tr.appendChild(el('td', {'class': 'n overlap', 'data-overlap-m2': String(c.overlap_m2)}, m2(c.overlap_m2)));
      table.appendChild(tr);
    });
    node.appendChild(table);
    node.appendChild(el('p', {'class': 'muted'}, t(MEASURE)));
    node.scrollIntoView({block: 'nearest'});
  }

  // ---- progress reports ------------------------------------------------------------------------------

  function progressForm(task, actions) {
    var form = el('form', {'class': 'tasking-form', id: 'tasking-progress', 'aria-label': t('Progress report')});
    form.appendChild(el('h3', {}, t('Progress on') + ' ' + task.reference));
    var inputs = {
      period_start: el('input', {name: 'period_start', type: 'date', required: 'required'}),
      period_end: el('input', {name: 'period_end', type: 'date', required: 'required'}),
      cancelled_m2: el('input', {name: 'cancelled_m2', type: 'number', min: '0', step: 'any', value: '0'}),
      reduced_m2: el('input', {name: 'reduced_m2', type: 'number', min: '0', step: 'any', value: '0'}),
      cleared_m2: el('input', {name: 'cleared_m2', type: 'number', min: '0', step: 'any', value: '0'}),
      items_found: el('input', {name: 'items_found', type: 'number', min: '0', step: '1', value: '0'}),
      team_days: el('input', {name: 'team_days', type: 'number', min: '0', step: 'any', value: '0'}),
      notes: el('textarea', {name: 'notes', rows: '2'})
    };
    [['period_start', 'Period from'], ['period_end', 'Period to'], ['cancelled_m2', 'Cancelled (m²)'],
      ['reduced_m2', 'Reduced (m²)'], ['cleared_m2', 'Cleared (m²)'], ['items_found', 'Items found'],
      ['team_days', 'Team days'], ['notes', 'Notes']].forEach(function (pair) {
      form.appendChild(field(t(pair[1]), inputs[pair[0]]));
    });
    var answerNode = el('div', {'class': 'tasking-answer', 'aria-live': 'polite'});
    var buttons = el('div', {'class': 'tasking-buttons'});
    var record = el('button', {type: 'submit', 'class': 'tasking-record'}, t('Record'));
    buttons.appendChild(record);
    var cancel = button(t('Cancel'), {'class': 'tasking-cancel'});
    buttons.appendChild(cancel);
    form.appendChild(buttons);
    form.appendChild(answerNode);
    cancel.addEventListener('click', function () { closeForms(actions); });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var body = {period_start: inputs.period_start.value, period_end: inputs.period_end.value};
      ['cancelled_m2', 'reduced_m2', 'cleared_m2', 'team_days'].forEach(function (k) {
        body[k] = Number(inputs[k].value || 0);
      });
      body.items_found = parseInt(inputs.items_found.value || '0', 10);
      if (inputs.notes.value.trim()) { body.notes = inputs.notes.value.trim(); }
      record.disabled = true;
      var url = '/api/v1/tasks/' + task.id + '/progress-reports';
      dash.send('POST', url, body).then(function (summary) {
        return getJSON(url).then(function (reports) { showProgress(answerNode, task, summary, reports); });
      }).catch(function (error) { showError(answerNode, error); }).then(function () { record.disabled = false; });
    });
    return form;
  }

  function showProgress(node, task, summary, reports) {
    node.textContent = '';
    node.appendChild(el('p', {'class': 'tasking-outcome clear', 'data-reports': String(summary.reports)},
      t('Report recorded.') + ' ' + task.reference + ' · ' + t('Progress reports') + ': ' + number(summary.reports) + ' · ' +
      t('as of') + ' ' + day(summary.as_of)));
    var table = el('table', {'class': 'tasking-reports'});
    var head = el('tr');
    // m² in the headings, bare numbers in the cells: five columns fit the narrow card.
    [t('Period'), t('Cancelled (m²)'), t('Reduced (m²)'), t('Cleared (m²)'), t('Items')].forEach(function (h, i) {
      head.appendChild(el('th', i ? {'class': 'n'} : {}, h));
    });
    table.appendChild(head);
    reports.concat([{total: true, cancelled_m2: summary.cancelled_m2, reduced_m2: summary.reduced_m2,
      cleared_m2: summary.cleared_m2, items_found: summary.items_found}]).forEach(function (r) {
      var tr = el('tr', r.total ? {'class': 'total'} : {'data-report-id': String(r.id)});
      tr.appendChild(el('td', {}, r.total ? t('Total') : day(r.period_start) + ' – ' + day(r.period_end)));
      [r.cancelled_m2, r.reduced_m2, r.cleared_m2, r.items_found].forEach(function (v) {
        v = number(Math.round(Number(v || 0)));
        tr.appendChild(el('td', {'class': 'n'}, v));
      });
      table.appendChild(tr);
    });
    node.appendChild(table);
    node.scrollIntoView({block: 'nearest'});
  }

  // ---- the details card ------------------------------------------------------------------------------

  function closeForms(actions) {
    stopDrawing();
    clearPreview();
    state.onDrawn = null;
    Array.prototype.forEach.call(actions.querySelectorAll('form'), function (f) { f.remove(); });
    Array.prototype.forEach.call(actions.querySelectorAll('.tasking-open'), function (b) { b.disabled = false; });
  }

  function open(actions, form) {
    closeForms(actions);
    Array.prototype.forEach.call(actions.querySelectorAll('.tasking-saved'), function (p) { p.remove(); });
    Array.prototype.forEach.call(actions.querySelectorAll('.tasking-open'), function (b) { b.disabled = true; });
    actions.appendChild(form);
    var first = form.querySelector('select, input');
    if (first) { first.focus(); }
  }

  function onDetails(event) {
    var area = event.detail;
    var actions = document.getElementById('details-actions');
    if (!actions) { return; }
    stopDrawing();
    clearPreview();
    state.area = area;
    actions.classList.add('tasking-actions');
    if (state.saved && state.saved.areaId === area.id) {
      actions.appendChild(el('p', {'class': 'tasking-saved', role: 'status', 'data-task-id': String(state.saved.id)},
        state.saved.text));
      actions.scrollIntoView({block: 'nearest'});
    }
    state.saved = null;
    if (may('task.create') && LIVE_AREAS.indexOf(area.status) >= 0) {
      var create = button(t('Create task'), {'class': 'tasking-open tasking-create'});
      create.addEventListener('click', function () { open(actions, createForm(area, actions)); });
      actions.appendChild(create);
    }
    if (rules.grants['task.progress'].indexOf(me.role) < 0) { return; }
    var query = '/api/v1/tasks?hazardous_area_id=' + area.id + '&status=' + rules.progress_statuses.join(',');
    getJSON(query).then(function (collection) {
      if (state.area !== area) { return; }
      collection.features.forEach(function (f) {
        var p = f.properties;
        if (!may('task.progress', p.organisation_id)) { return; }
        var task = {id: f.id, reference: p.reference};
        var record = button(t('Record progress') + ': ' + p.reference,
          {'class': 'tasking-open tasking-progress', 'data-task-id': String(f.id)});
        record.addEventListener('click', function () { open(actions, progressForm(task, actions)); });
        actions.appendChild(record);
      });
    }).catch(function (error) { showError(actions, error); });
  }

  function init() {
    dash = window.maisDashboard;
    config = JSON.parse(document.getElementById('mais-config').textContent);
    rules = config.tasking;
    if (!rules) { return; }
    document.addEventListener('mais:details', function (event) {
      if (me) { onDetails(event); return; }
      getJSON('/api/v1/me').then(function (who) { me = who; onDetails(event); })
        .catch(function (error) { showError(document.getElementById('details-actions'), error); });
    });
    document.getElementById('details-close').addEventListener('click', function () {
      stopDrawing();
      clearPreview();
    });
  }

  document.addEventListener('DOMContentLoaded', init);
}());
