// The reports page: builds the report's query from the form, fetches the file with a busy state,
// and hands it to the browser as a download; on failure shows the server's reason (app/dashboard/reports.py).
(function () {
  'use strict';
  const main = document.getElementById('reports');
  const form = document.getElementById('report-form');
  if (!main || !form) return;
  const config = JSON.parse(main.dataset.config || '{}');
  const strings = config.strings || {};
  const t = (text, values) => {
    let out = strings[text] || text;
    Object.entries(values || {}).forEach(([key, value]) => { out = out.replace('{' + key + '}', value); });
    return out;
  };
  const $ = (id) => document.getElementById(id);
  const period = $('period');
  const custom = $('custom-dates');
  const donor = $('donor_id');
  const agreement = $('agreement_id');
  const button = $('download');
  const progress = $('progress');
  const progressText = $('progress-text');
  const status = $('report-status');
  const error = $('report-error');

  function showCustom() {
    custom.hidden = period.value !== 'custom';
  }

  // Only the chosen donor's agreements are offered; a choice that no longer fits is cleared.
  function narrowAgreements() {
    if (!agreement) return;
    const chosen = donor ? donor.value : '';
    Array.from(agreement.options).forEach((option) => {
      const fits = !option.value || !chosen || option.dataset.donor === chosen;
      option.hidden = !fits;
      option.disabled = !fits;
    });
    const selected = agreement.options[agreement.selectedIndex];
    if (selected && selected.disabled) agreement.value = '';
  }

  function dates() {
    if (period.value === 'custom') return [$('date_from').value, $('date_to').value];
    const option = period.options[period.selectedIndex];
    return [option.dataset.from, option.dataset.to];
  }

  function query() {
    const params = new URLSearchParams();
    ['donor_id', 'agreement_id', 'organisation_id', 'oblast_code'].forEach((name) => {
      const field = $(name);
      if (field && field.value) params.set(name, field.value);
    });
    const [from, to] = dates();
    if (from) params.set('date_from', from);
    if (to) params.set('date_to', to);
    params.set('lang', config.language || 'en');
    return params;
  }

  function fileName(response, extension) {
    const header = response.headers.get('Content-Disposition') || '';
    const match = /filename="([^"]+)"/.exec(header);
    return match ? match[1] : 'land-release-report.' + extension;
  }

  function size(bytes) {
    const locale = config.language === 'uk' ? 'uk-UA' : 'en-GB';
    if (bytes < 1024 * 1024) return (bytes / 1024).toLocaleString(locale, { maximumFractionDigits: 0 }) + ' kB';
    return (bytes / 1024 / 1024).toLocaleString(locale, { maximumFractionDigits: 1 }) + ' MB';
  }

  function busy(on) {
    button.disabled = on;
    form.setAttribute('aria-busy', on ? 'true' : 'false');
    progress.hidden = !on;
  }

  async function reason(response) {
    try {
      const body = await response.json();
      const detail = body.detail;
      if (Array.isArray(detail)) return detail.map((d) => d.msg || JSON.stringify(d)).join('; ');
      return String(detail || response.statusText);
    } catch (e) {
      return response.status + ' ' + response.statusText;
    }
  }

  async function download(event) {
    event.preventDefault();
    error.hidden = true;
    error.textContent = '';
    status.textContent = '';
    const [from, to] = dates();
    if (period.value === 'custom' && (!from || !to || from > to)) {
      error.textContent = t('Choose both dates, the first no later than the last.');
      error.hidden = false;
      return;
    }
    const extension = (form.querySelector('input[name="format"]:checked') || {}).value || 'pdf';
    const started = Date.now();
    busy(true);
    status.textContent = t('Preparing the report…');
    progressText.textContent = t('Preparing the report…');
    const timer = window.setInterval(() => {
      progressText.textContent = t('Preparing the report… {seconds} s', { seconds: Math.round((Date.now() - started) / 1000) });
    }, 1000);
    try {
      const response = await fetch('/api/v1/reports/donor.' + extension + '?' + query().toString(), {
        credentials: 'same-origin',
        headers: { Accept: 'application/pdf, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/zip, application/json' },
      });
      if (!response.ok) {
        error.textContent = t('The report could not be made: {reason}', { reason: await reason(response) });
        error.hidden = false;
        status.textContent = '';
        return;
      }
      const blob = await response.blob();
      const name = fileName(response, extension);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60000);
      status.textContent = t('Downloaded {name} ({size}).', { name: name, size: size(blob.size) });
    } catch (e) {
      error.textContent = t('The server did not answer. Check the connection and try again.');
      error.hidden = false;
      status.textContent = '';
    } finally {
      window.clearInterval(timer);
      busy(false);
    }
  }

  period.addEventListener('change', showCustom);
  if (donor) donor.addEventListener('change', narrowAgreements);
  form.addEventListener('submit', download);
  showCustom();
  narrowAgreements();
}());
