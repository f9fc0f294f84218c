/* Phones and keyboards (docs/accessibility.md). Below 700 px the map and the panel beside it become two
   tabs at the bottom of the screen. The details card takes the focus when it opens, keeps Tab and
   Shift+Tab inside while it is open, closes on Escape and gives the focus back to what opened it.
   The card is dashboard.js's: this script only watches its `hidden` attribute, so neither script
   needs to know the other. Strings through window.maisDashboard.t (app/i18n/uk/layout.po). */
(function () {
  'use strict';

  var NARROW = window.matchMedia('(max-width: 699.98px)');
  var FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), ' +
    'textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

  function t(text) {
    var dash = window.maisDashboard;
    return dash && dash.t ? dash.t(text) : text;
  }

  function view() {
    var node = document.getElementById('mais-config');
    try { return JSON.parse(node.textContent).view; } catch (e) { return null; }
  }

  // ---- Map and list as two tabs on a narrow screen ----------------------------------------------
  var tabs = {};

  function show(which, focus) {
    document.body.classList.toggle('view-map', which === 'map');
    document.body.classList.toggle('view-list', which === 'list');
    Object.keys(tabs).forEach(function (key) {
      var on = key === which;
      tabs[key].setAttribute('aria-selected', on ? 'true' : 'false');
      tabs[key].tabIndex = on ? 0 : -1;
    });
    if (focus) { tabs[which].focus(); }
    // The map keeps its size under the list, but a rotation or a resize while hidden may change it.
    if (which === 'map' && window.maisMap) { window.maisMap.invalidateSize(); }
  }

  function buildTabs() {
    var sidebar = document.getElementById('sidebar');
    var main = document.getElementById('main');
    if (!sidebar || !main) { return; }
    var nav = document.createElement('nav');
    nav.id = 'view-tabs';
    nav.setAttribute('aria-label', t('Map or list'));
    var list = document.createElement('div');
    list.setAttribute('role', 'tablist');
    var names = {map: t('Map'), list: view() === 'donor' ? t('Figures') : t('List')};
    var controls = {map: main.id, list: sidebar.id};
    ['map', 'list'].forEach(function (key) {
      var tab = document.createElement('button');
      tab.type = 'button';
      tab.id = 'tab-' + key;
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-controls', controls[key]);
      tab.textContent = names[key];
      tab.addEventListener('click', function () { show(key, false); });
      tabs[key] = tab;
      list.appendChild(tab);
    });
    // The tab pattern's keys: arrows move between the tabs, Home and End to the ends.
    list.addEventListener('keydown', function (event) {
      var next = {ArrowLeft: 'map', ArrowRight: 'list', Home: 'map', End: 'list'}[event.key];
      if (next) { event.preventDefault(); show(next, true); }
    });
    nav.appendChild(list);
    document.body.appendChild(nav);
    show('map', false);
  }

  // ---- The details card: focus in, trapped, Escape, focus back ----------------------------------
  var details, opener = null, openedArea = null, trapped = false;

  function focusables() {
    return Array.prototype.filter.call(details.querySelectorAll(FOCUSABLE), function (node) {
      return node.getClientRects().length > 0;  // laid out: not hidden, not display:none
    });
  }

  // What to give the focus back to when the opener is gone (the list redrawn by a filter): the same
  // area's row, else the map.
  function fallback() {
    var row = openedArea === null ? null
      : document.querySelector('#priority-list li[data-area-id="' + openedArea + '"] button');
    return row || (window.maisMap && window.maisMap.getContainer()) || document.body;
  }

  function opened() {
    var active = document.activeElement;
    opener = active && active !== document.body && !details.contains(active) ? active : null;
    var title = details.querySelector('h2');
    if (title) {
      title.id = title.id || 'details-title';
      details.setAttribute('aria-labelledby', title.id);
    }
    if (NARROW.matches && document.body.classList.contains('view-list')) { show('map', false); }
    trapped = true;
    details.focus({preventScroll: true});
  }

  function closed() {
    var active = document.activeElement;
    var back = opener && document.contains(opener) && opener.getClientRects().length ? opener : fallback();
    opener = null;
    trapped = false;
    if (!active || active === document.body || details.contains(active)) { back.focus({preventScroll: true}); }
  }

  function close() {
    var button = document.getElementById('details-close');
    if (button) { button.click(); } else { details.hidden = true; }  // the button: its other listeners run too
  }

  function watchDetails() {
    details = document.getElementById('details');
    if (!details) { return; }
    details.setAttribute('role', 'dialog');
    details.setAttribute('aria-modal', 'true');
    details.tabIndex = -1;
    document.addEventListener('mais:details', function (event) {
      if (event.detail && event.detail.id !== undefined) { openedArea = event.detail.id; }
    });
    new MutationObserver(function () {
      if (details.hidden === watchDetails.wasHidden) { return; }
      watchDetails.wasHidden = details.hidden;
      if (details.hidden) { closed(); } else { opened(); }
    }).observe(details, {attributes: true, attributeFilter: ['hidden']});
    watchDetails.wasHidden = details.hidden;

    details.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        close();
        return;
      }
      if (event.key !== 'Tab') { return; }
      var items = focusables();
      if (!items.length) { event.preventDefault(); return; }
      var first = items[0], last = items[items.length - 1], active = document.activeElement;
      if (event.shiftKey && (active === first || active === details)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && active === last) {
        event.preventDefault();
        first.focus();
      }
    });
    // Escape with the focus on the map (after a click on an area) closes the card too.
    document.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape' || details.hidden || event.defaultPrevented) { return; }
      var target = event.target;
      if (target === document.body || (window.maisMap && target === window.maisMap.getContainer())) { close(); }
    });
    // A press outside the card lets it go (the pointer chose); the keyboard (or a screen reader
    // moving the focus) cannot leave it while it is open.
    document.addEventListener('pointerdown', function (event) {
      if (!details.hidden && !details.contains(event.target)) { trapped = false; }
    }, true);
    document.addEventListener('focusin', function (event) {
      if (details.hidden) { return; }
      if (details.contains(event.target)) { trapped = true; return; }
      if (trapped) { details.focus({preventScroll: true}); }
    });
  }

  // Room the details card takes from the map, for dashboard.js's zoom to an area: the card's column on
  // the right, or on a phone the sheet over the lower part (at most 60% high, dashboard.css).
  function cardPadding() {
    if (!NARROW.matches || !window.maisMap) { return [340, 40]; }
    return [40, Math.round(window.maisMap.getSize().y * 0.6) + 20];
  }

  function init() {
    if (window.maisDashboard) { window.maisDashboard.cardPadding = cardPadding; }
    buildTabs();
    watchDetails();
    var onChange = function () { if (NARROW.matches && window.maisMap) { window.maisMap.invalidateSize(); } };
    if (NARROW.addEventListener) { NARROW.addEventListener('change', onChange); }
  }

  document.addEventListener('DOMContentLoaded', init);
}());
