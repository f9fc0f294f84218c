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
    if (v >= 1e6) { return (v / 1e6).toLocaleString('en', {maximumFractionDigits: 2}) + ' km²'; }
    return Math.round(v).toLocaleString('en') + ' m²';
  }

  function count(value) { return Math.round(Number(value || 0)).toLocaleString('en'); }

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
    return getJSON(withQuery('/api/v1/dashboard/headline', params)).then(function (h) {
      if (stale(generation)) { return; }
      var r = h.released_this_year_m2;
      var values = {
        suspected_remaining_m2: m2(h.suspected_remaining_m2), confirmed_remaining_m2: m2(h.confirmed_remaining_m2),
        released_this_year_m2: [m2(r.cancelled), m2(r.reduced), m2(r.cleared)].join(' / '),
        active_tasks: h.active_tasks.toLocaleString('en'), devices_destroyed: h.devices_destroyed.toLocaleString('en'),
        year: h.year, areas: h.areas.toLocaleString('en')
      };
      Object.keys(values).forEach(function (key) {
        document.querySelector('[data-figure="' + key + '"]').textContent = values[key];
      });
    });
  }

  function scoreBar(row, maxScore) {
    var bar = el('span', {'class': 'bar', 'aria-hidden': 'true'});
    config.criteria.forEach(function (name, i) {
      var value = row.contributions[name] || 0;
      if (value <= 0 || maxScore <= 0) { return; }
      var part = el('span', {title: name + ': ' + value.toFixed(2)});
      part.style.width = (100 * value / maxScore) + '%';
      part.style.background = dash.palette.criteria[i % dash.palette.criteria.length];
      bar.appendChild(part);
    });
    return bar;
  }

  function topReasons(row) {
    return config.criteria
      .filter(function (name) { return (row.contributions[name] || 0) > 0; })
      .sort(function (a, b) { return row.contributions[b] - row.contributions[a]; })
      .slice(0, 3)
      .map(function (name) { return name.replace(/_/g, ' ') + ' ' + row.contributions[name].toFixed(1); })
      .join(', ');
  }

  function loadList(params, generation) {
    var list = document.getElementById('priority-list');
    var count = document.getElementById('ranking-count');
    count.textContent = 'Ranking…';
    var listParams = new URLSearchParams(params);
    listParams.set('scenario', scenarioSelect.value);
    listParams.set('limit', '50');
    return getJSON(withQuery('/api/v1/priorities', listParams)).then(function (ranking) {
      if (stale(generation)) { return; }
      list.textContent = '';
      dash.rows = {};
      var maxScore = ranking.items.reduce(function (m, r) { return Math.max(m, r.score); }, 0);
      ranking.items.forEach(function (row) {
        dash.rows[row.hazardous_area_id] = row;
        var item = el('li', {'data-area-id': row.hazardous_area_id});
        var button = el('button', {type: 'button'});
        button.appendChild(el('span', {'class': 'rank'}, row.rank));
        button.appendChild(el('span', {'class': 'name'}, row.name || row.national_id || ('Area ' + row.hazardous_area_id)));
        button.appendChild(el('span', {'class': 'score'}, row.score.toFixed(1)));
        button.appendChild(scoreBar(row, maxScore));
        var meta = row.classification + ' · ' + row.status.replace('_', ' ') + ' · ' + m2(row.remaining_area_m2) +
          ' · national #' + row.national_rank + (row.gated ? ' · gated: ' + row.gated : ' · ' + topReasons(row));
        button.appendChild(el('span', {'class': 'meta' + (row.gated ? ' gated' : '')}, meta));
        button.addEventListener('click', function () { selectArea(row.hazardous_area_id, true); });
        item.appendChild(button);
        list.appendChild(item);
      });
      count.textContent = ranking.total
        ? 'Top ' + ranking.items.length + ' of ' + ranking.total.toLocaleString('en') + ' ranked areas · ' +
          ranking.scenario + ' v' + ranking.scenario_version
        : 'No open or worked-on area matches these filters.';
    });
  }

  function loadBands(params, generation) {
    if (dash.colourBy !== 'rank') { return Promise.resolve(); }
    var bandParams = new URLSearchParams(params);
    bandParams.set('scenario', scenarioSelect.value);
    return getJSON(withQuery('/api/v1/dashboard/rank-bands', bandParams)).then(function (result) {
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

  function applyFilters() {
    var params = filterQuery();
    var generation = ++dash.generation;
    status('loading…');
    var work = [config.figures ? loadHeadline(params, generation) : null, loadList(params, generation),
      loadBands(params, generation).then(function () { if (!stale(generation)) { refreshTiles(params); } })];
    return Promise.all(work).then(function () {
      if (!stale(generation)) {
        status('updated ' + new Date().toLocaleTimeString('en-GB', {hour: '2-digit', minute: '2-digit'}));
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
    cells.forEach(function (cell, i) { tr.appendChild(el(i ? 'td' : 'th', numeric && i ? {'class': 'n'} : {}, cell)); });
    return tr;
  }

  function table(rows, numeric) {
    var t = el('table');
    rows.forEach(function (cells) { t.appendChild(row(cells, numeric)); });
    return t;
  }

  function showDetails(d) {
    var body = document.getElementById('details-body');
    body.textContent = '';
    body.appendChild(el('h2', {}, d.name || d.national_id || ('Area ' + d.id)));
    body.appendChild(el('p', {'class': 'muted'}, [d.classification, d.status.replace('_', ' '),
      (d.contamination_types || []).join(', '), d.hromada_code || d.raion_code || d.oblast_code || '']
      .filter(Boolean).join(' · ')));
    body.appendChild(el('h3', {}, 'Land (m²)'));
    body.appendChild(table([
      ['original', Math.round(d.original_area_m2).toLocaleString('en')],
      ['remaining', Math.round(d.remaining_area_m2).toLocaleString('en')],
      ['cancelled (NTS)', Math.round(d.cancelled_m2).toLocaleString('en')],
      ['reduced (TS)', Math.round(d.reduced_m2).toLocaleString('en')],
      ['cleared', Math.round(d.cleared_m2).toLocaleString('en')]
    ], true));
    var ranked = dash.rows[d.id];
    if (ranked) {
      body.appendChild(el('h3', {}, 'Priority: rank ' + ranked.rank + ', score ' + ranked.score.toFixed(2)));
      body.appendChild(table(config.criteria
        .filter(function (name) { return ranked.contributions[name] > 0; })
        .map(function (name) { return [name.replace(/_/g, ' '), ranked.contributions[name].toFixed(2)]; }), true));
    }
    body.appendChild(el('h3', {}, 'Tasks (' + d.tasks.length + ')'));
    if (d.tasks.length) {
      body.appendChild(table(d.tasks.map(function (t) {
        return [t.reference, t.organisation, t.status.replace('_', ' ')];
      })));
    } else { body.appendChild(el('p', {'class': 'muted'}, 'none')); }
    body.appendChild(el('h3', {}, 'Finds'));
    if (d.finds.length) {
      body.appendChild(table([['category', 'found', 'destroyed']].concat(d.finds.map(function (f) {
        return [f.category, String(f.items), String(f.destroyed || 0)];
      })), true));
    } else { body.appendChild(el('p', {'class': 'muted'}, 'none recorded')); }
    body.appendChild(el('h3', {}, 'Accidents'));
    if (d.accidents) {  // null for readers who may not see accidents (public reading)
      body.appendChild(el('p', {}, d.accidents.accidents + ' accident(s), ' + d.accidents.killed + ' killed, ' +
        d.accidents.injured + ' injured'));
    }
    var link = el('a', {href: d.timeline, target: '_blank', rel: 'noopener'}, 'Timeline of this area');
    body.appendChild(link);
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

  function selectArea(id, zoom) {
    Array.prototype.forEach.call(document.querySelectorAll('#priority-list li'), function (li) {
      li.classList.toggle('selected', li.getAttribute('data-area-id') === String(id));
    });
    return getJSON('/api/v1/dashboard/areas/' + id).then(function (d) {
      if (zoom) {
        var b = d.bounds;
        // Keep the area clear of the details card on the right.
        window.maisMap.fitBounds([[b[1], b[0]], [b[3], b[2]]],
          {maxZoom: 15, paddingTopLeft: [40, 40], paddingBottomRight: [340, 40]});
      }
      showDetails(d);
      highlight(d.id);
    }).catch(function (error) { status(error.message, true); });
  }
  dash.selectArea = selectArea;

  function accidentsLayer() {
    var cluster = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40});
    getJSON('/api/v1/dashboard/accidents.geojson').then(function (collection) {
      L.geoJSON(collection, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, {radius: 5, color: '#fff', weight: 1.5, fillColor: '#2b2b2b', fillOpacity: 1});
        },
        onEachFeature: function (feature, layer) {
          var p = feature.properties;
          var when = p.occurred_on === null ? 'date unknown' : p.occurred_on;  // recorded without a date
          layer.bindTooltip('Accident ' + when + ' · ' + p.type.replace('_', ' ') + ' · ' + p.victims +
            ' victim(s)');
        }
      }).eachLayer(function (layer) { cluster.addLayer(layer); });
    }).catch(function (error) { status('accidents: ' + error.message, true); });
    return cluster;
  }

  // Settlements come after the first hazards: 1,469 markers built at start-up held back the first tiles.
  function settlementsLayer() {
    var layer = L.geoJSON(null, {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {radius: 2.5, color: '#777777', weight: 1, fillColor: '#ffffff', fillOpacity: 1});
      },
      onEachFeature: function (feature, marker) {
        var p = feature.properties;
        marker.bindTooltip(p.name + ' · ' + Number(p.population).toLocaleString('en') + ' people');
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

  function init() {
    config = JSON.parse(document.getElementById('mais-config').textContent);
    dash.palette = config.palette;
    if (window.innerWidth < 1280 || window.innerHeight < 800) { document.getElementById('legend').open = false; }
    if (config.view === 'donor') { initDonor(); return; }
    form = document.getElementById('filters');
    scenarioSelect = document.getElementById('scenario');
    hazardsUrl = config.tiles;
    if (config.accidents) {
      var accidents = accidentsLayer().addTo(window.maisMap);
      window.maisControl.addOverlay(accidents, 'Accidents (clustered)');
    }

    form.addEventListener('change', function (event) {
      if (event.target.name === 'oblast_code' || event.target.name === 'raion_code') { narrowAdminChoices(); }
      applyFilters();
    });
    form.addEventListener('reset', function () { setTimeout(function () { narrowAdminChoices(); applyFilters(); }); });
    scenarioSelect.addEventListener('change', applyFilters);
    Array.prototype.forEach.call(document.querySelectorAll('input[name="colour_by"]'), function (radio) {
      radio.addEventListener('change', function () {
        dash.colourBy = radio.value;
        document.querySelector('[data-legend="imas"]').hidden = dash.colourBy !== 'imas';
        document.querySelector('[data-legend="rank"]').hidden = dash.colourBy !== 'rank';
        applyFilters();  // one pass, so no answer of an earlier pass is dropped without a newer one
      });
    });
    document.getElementById('details-close').addEventListener('click', function () {
      document.getElementById('details').hidden = true;
    });
    window.maisLayers.hazards.on('click', function (e) {
      var p = e.layer.properties;
      // Below zoom 10 a dot may stand for several areas: zoom in towards them.
      if (p.id === undefined) { window.maisMap.setView(e.latlng, window.maisMap.getZoom() + 2); } else { selectArea(p.id, false); }
    });
    window.maisLayers.tasks.on('click', function (e) {
      var p = e.layer.properties;
      var content = el('div');
      content.appendChild(el('strong', {}, p.reference));
      content.appendChild(el('div', {}, p.organisation));
      content.appendChild(el('div', {}, p.status.replace('_', ' ') + ', ' + m2(p.area_m2)));
      L.popup().setLatLng(e.latlng).setContent(content).openOn(window.maisMap);
    });
    // The list and figures queries compete with the first tiles for the server: let the map draw first.
    var started = false;
    var start = function () {
      if (started) { return; }
      started = true;
      applyFilters();
      window.maisControl.addOverlay(settlementsLayer().addTo(window.maisMap), 'Settlements (hromada centres)');
    };
    window.maisLayers.hazards.once('load', start);
    setTimeout(start, 1500);
  }

  document.addEventListener('DOMContentLoaded', init);
}());
