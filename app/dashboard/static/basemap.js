/* The offline base map (docs/base-map.md): /tiles/basemap vector tiles drawn on canvas below the data
   panes, and their `labels` layer drawn as text in the page's language, the less important of two
   colliding names hidden. Not interactive: clicks go to the layers above. Plain ES5, no network
   beyond this app. */
(function () {
  'use strict';

  var REFERENCE = ['land', 'water', 'urban', 'rivers', 'roads'];
  // Which label wins a collision at the same rank: cities, then admin units from the top, then countries.
  var KIND_ORDER = {place: 0, oblast: 1, raion: 2, hromada: 3, country: 4};
  var strings = null;

  // The page's catalogue (app/i18n/uk/basemap.po), read from its config once it is needed.
  function t(text) {
    if (strings === null) {
      var node = document.getElementById('mais-config');
      try { strings = (node && JSON.parse(node.textContent).strings) || {}; } catch (e) { strings = {}; }
    }
    return strings[text] || text;
  }

  function language() { return (document.documentElement.lang || 'en').slice(0, 2); }

  // A place in the reader's language: the official name in Ukrainian, its official Latin form in English
  // (as app.i18n.place_name); a neighbour country's English name through the catalogue.
  function labelText(p) {
    if (p.kind === 'country') { return t(p.name_en || p.name); }
    return language() === 'uk' ? (p.name || p.name_en || '') : (p.name_en || p.name || '');
  }

  function styles(reference) {
    var none = [];
    var drawn = {
      land: function (p) {
        return {fill: true, fillColor: p.kind === 'home' ? '#f8f6f1' : '#e2e0da', fillOpacity: 1, stroke: false};
      },
      water: function (p) {
        if (p.kind === 'coast') { return {color: '#7fa7c9', weight: 0.8, fill: false}; }
        return {fill: true, fillColor: '#b8d2e8', fillOpacity: 1, stroke: false};
      },
      urban: {fill: true, fillColor: '#ebe2d3', fillOpacity: 1, stroke: false},
      rivers: function (p, z) { return {color: '#8db4d6', weight: z < 7 ? 1 : z < 10 ? 1.6 : 2.2, fill: false}; },
      roads: function (p, z) {
        if (p.kind === 'international') { return {color: '#e0995c', weight: z < 8 ? 1.3 : z < 11 ? 2.2 : 3, fill: false}; }
        return {color: '#d8b56f', weight: z < 9 ? 1 : 1.8, fill: false};
      },
      boundaries: function (p) {
        switch (p.level) {
          case 0: return {color: '#4a4458', weight: 2.2, fill: false};
          case 1: return {color: '#6f6482', weight: 1.4, fill: false};
          case 2: return {color: '#8f88a0', weight: 1, dashArray: '5 3', fill: false};
          default: return {color: '#aaa4b6', weight: 0.7, dashArray: '2 3', fill: false};
        }
      },
      labels: none  // drawn as text (below), not as shapes
    };
    if (!reference) { REFERENCE.forEach(function (name) { drawn[name] = none; }); }
    return drawn;
  }

  // window.maisBasemap(map, {url, attribution, reference}): adds the base map to a Leaflet map.
  window.maisBasemap = function (map, options) {
    map.createPane('basemap').style.zIndex = 350;
    map.createPane('basemap-labels').style.zIndex = 370;
    map.getPane('basemap').style.pointerEvents = 'none';
    map.getPane('basemap-labels').style.pointerEvents = 'none';
    if (options.reference) { map.getContainer().classList.add('mais-basemap'); }
    var labels = L.layerGroup().addTo(map);
    var byTile = {};
    var declutterTimer = null;

    function declutter() {
      declutterTimer = null;
      var items = [];
      labels.eachLayer(function (marker) {
        var node = marker.getElement() && marker.getElement().firstChild;
        if (node) { node.style.visibility = ''; items.push({node: node, p: marker.options.label}); }
      });
      items.sort(function (a, b) {
        return (a.p.rank - b.p.rank) || (KIND_ORDER[a.p.kind] - KIND_ORDER[b.p.kind]);
      });
      var kept = [];
      items.forEach(function (item) {
        var r = item.node.getBoundingClientRect();
        var clash = kept.some(function (k) {
          return r.left < k.right + 4 && r.right + 4 > k.left && r.top < k.bottom + 2 && r.bottom + 2 > k.top;
        });
        if (clash) { item.node.style.visibility = 'hidden'; } else { kept.push(r); }
      });
    }

    function soon() {
      if (declutterTimer === null) { declutterTimer = setTimeout(declutter, 60); }
    }

    function addLabels(grid, coords, layer) {
      var key = grid._tileCoordsToKey(coords);
      if (!grid._tiles[key]) { return; }  // the tile left the view before its data came
      var size = L.point(256, 256);  // the tile at its own zoom (getTileSize() is scaled beyond maxNativeZoom)
      var markers = [];
      layer.features.forEach(function (feature) {
        var point = feature.geometry[0][0];
        var pixel = L.point(coords.x * size.x + point.x * size.x / layer.extent,
                            coords.y * size.y + point.y * size.y / layer.extent);
        var p = feature.properties;
        var text = labelText(p);
        if (!text) { return; }
        var span = document.createElement('span');
        span.className = 'basemap-label basemap-' + p.kind;
        span.textContent = text;
        var icon = L.divIcon({className: 'basemap-label-anchor', html: span, iconSize: [0, 0]});
        var marker = L.marker(map.unproject(pixel, coords.z), {
          icon: icon, interactive: false, keyboard: false, pane: 'basemap-labels', label: p
        });
        markers.push(marker.addTo(labels));
      });
      (byTile[key] || []).forEach(function (m) { labels.removeLayer(m); });
      byTile[key] = markers;
      soon();
    }

    var Grid = L.VectorGrid.Protobuf.extend({
      _getVectorTilePromise: function (coords) {
        var grid = this;
        return L.VectorGrid.Protobuf.prototype._getVectorTilePromise.call(this, coords).then(function (tile) {
          var layer = tile.layers && tile.layers.labels;
          if (layer) {
            delete tile.layers.labels;
            addLabels(grid, coords, layer);
          }
          return tile;
        });
      }
    });
    var grid = new Grid(options.url, {
      rendererFactory: L.canvas.tile,
      interactive: false,
      pane: 'basemap',
      maxNativeZoom: 14,
      attribution: t(options.attribution),
      vectorTileLayerStyles: styles(options.reference)
    });
    grid.on('tileunload', function (e) {
      var key = grid._tileCoordsToKey(e.coords);
      (byTile[key] || []).forEach(function (m) { labels.removeLayer(m); });
      delete byTile[key];
      soon();
    });
    map.on('zoomend', soon);
    // Added once the first data tile has been drawn (or after 1.5 s): the hazards are what the page is
    // for, and drawing base-map tiles and labels first held their first paint back by ~0.5 s (bench/dashboard).
    var added = false;
    var add = function () { if (!added) { added = true; grid.addTo(map); } };
    setTimeout(function () {
      var layers = window.maisLayers || {};
      var data = layers.hazards || layers.released;
      if (data && map.hasLayer(data)) { data.once('tileload', add); setTimeout(add, 1500); } else { add(); }
    }, 0);
    window.maisBasemapLayer = grid;
    return grid;
  };
}());
