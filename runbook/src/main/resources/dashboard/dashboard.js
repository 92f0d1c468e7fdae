// The operations dashboard's page: everything it shows comes from the JSON API (docs/dashboard-api.md)
// through one Server-Sent Events stream; its buttons POST the runbook's own operations.
'use strict';
(() => {
  const token = document.querySelector('meta[name="dashboard-token"]').content;
  const $ = (id) => document.getElementById(id);
  const state = { overview: null, actions: [], samples: [], env: null };

  // ---- DOM helpers (text only: nothing from AWS is ever parsed as HTML) ----
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null) node.setAttribute(k, v);
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c === undefined || c === null ? '' : String(c)));
    return node;
  }
  function rows(tableId, list, cells) {
    const body = document.querySelector('#' + tableId + ' tbody');
    body.replaceChildren(...list.map((item) => {
      const tr = el('tr', cells.attrs ? cells.attrs(item) : {});
      for (const cell of cells.columns(item)) tr.append(cell instanceof Node ? el('td', {}, cell) : el('td', {}, cell));
      return tr;
    }));
  }
  function kv(containerId, pairs) {
    const dl = el('dl', { class: 'kv' });
    for (const [k, v] of pairs) dl.append(el('dt', {}, k), el('dd', {}, v));
    $(containerId).replaceChildren(dl);
  }
  function sectionError(containerId, section) {
    if (section && section.error) {
      $(containerId).replaceChildren(el('div', { class: 'error' }, describeError(section.error)));
      return true;
    }
    if (section && section.absent) {
      $(containerId).replaceChildren(el('p', { class: 'muted' }, section.absent));
      return true;
    }
    return false;
  }
  function describeError(e) {
    return [e.service, e.code].filter(Boolean).join(' ') + (e.service || e.code ? ': ' : '') + e.message;
  }
  const when = (iso) => iso ? new Date(iso).toLocaleTimeString() : '–';
  const shortDigest = (d) => d ? d.replace('sha256:', '').slice(0, 12) : '–';
  function seconds(ms) {
    const s = Math.floor(ms / 1000);
    return s < 60 ? s + ' s' : Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  }

  // ---- the environment ----
  function showOverview(doc) {
    state.overview = doc;
    state.env = doc.environment;
    $('env').dataset.confirm = String(doc.environment.confirmChanges);
    $('where').textContent = doc.environment.settingsError ? 'settings refused: ' + doc.environment.settingsError
      : (doc.environment.target === 'aws' ? 'AWS ' : 'emulator, ') + doc.environment.region;
    $('public-url').textContent = doc.environment.publicUrl;
    $('scale-count').max = doc.environment.maxCount;
    const s = doc.service || {};
    if (s.error || s.absent) {
      $('verdict').dataset.state = 'unhealthy';
      $('verdict').textContent = s.error ? describeError(s.error) : s.absent;
    } else {
      $('service-desired').textContent = s.desired;
      $('service-running').textContent = s.running;
      $('service-pending').textContent = s.pending;
      $('service-revision').textContent = s.taskDefinition;
      $('service-image').textContent = s.imageTag + (s.imageDigest ? ' (' + shortDigest(s.imageDigest) + ')' : '');
      $('service-image').title = s.image + (s.imageDigest ? '@' + s.imageDigest : '');
      if (document.activeElement !== $('scale-count') && !$('scale-count').dataset.touched) $('scale-count').value = s.desired;
      const targets = Array.isArray(doc.targets) ? doc.targets : [];
      const healthy = targets.filter((t) => t.state === 'healthy').length;
      const rolling = (s.deployments || []).length > 1 || (s.deployments || []).some((d) => d.rolloutState === 'IN_PROGRESS');
      let verdict = 'healthy', text = 'Healthy: ' + healthy + ' of ' + s.desired + ' targets healthy';
      if (rolling || s.running !== s.desired || s.pending > 0) {
        verdict = 'changing';
        text = rolling ? 'Rolling out ' + s.deployments[0].taskDefinition : 'Changing: ' + s.running + ' of ' + s.desired + ' tasks running';
      } else if (healthy < s.desired) {
        verdict = 'unhealthy';
        text = 'Unhealthy: ' + healthy + ' of ' + s.desired + ' targets healthy';
      }
      $('verdict').dataset.state = verdict;
      $('verdict').textContent = text;
      rows('deployments', s.deployments || [], {
        attrs: (d) => ({ 'data-status': d.status, 'data-rollout': d.rolloutState, 'data-revision': d.taskDefinition }),
        columns: (d) => [d.status, d.taskDefinition, el('span', { class: 'badge', 'data-state': d.rolloutState, title: d.rolloutStateReason || '' }, d.rolloutState),
          el('div', { class: 'bar' }, el('span', { style: null, 'data-width': pct(d.running, d.desired) })),
          d.running + ' / ' + d.desired, d.pending, d.failed, when(d.updatedAt)],
      });
      document.querySelectorAll('#deployments .bar > span').forEach((b) => { b.style.width = b.dataset.width + '%'; });
    }
    $('service-note').textContent = 'read ' + when(doc.readAt);
    if (!sectionErrorRow('tasks', doc.tasks, 7)) {
      rows('tasks', doc.tasks || [], {
        attrs: (t) => ({ 'data-status': t.lastStatus, 'data-health': t.health }),
        columns: (t) => [t.id.slice(0, 12), t.taskDefinition, t.availabilityZone, t.subnet || '–', when(t.startedAt), t.lastStatus + (t.desiredStatus !== t.lastStatus ? ' → ' + t.desiredStatus : ''),
          el('span', { class: 'badge', 'data-state': (t.health || '').toLowerCase() }, t.health || '–')],
      });
    }
    if (!sectionErrorRow('targets', doc.targets, 4)) {
      rows('targets', doc.targets || [], {
        attrs: (t) => ({ 'data-state': t.state }),
        columns: (t) => [t.target, el('span', { class: 'badge', 'data-state': t.state }, t.state), t.reason || '', t.description || ''],
      });
    }
    $('events').replaceChildren(...(Array.isArray(doc.events) ? doc.events : []).map((e) => el('li', {}, el('time', {}, when(e.at)), e.message)));
    const lb = doc.loadBalancer;
    if (!lb) $('load-balancer').replaceChildren(el('p', { class: 'muted' }, 'not recorded: apply first'));
    else if (!sectionError('load-balancer', lb)) {
      kv('load-balancer', [['name', lb.name], ['DNS name', lb.dnsName], ['state', lb.state], ['idle timeout', lb.idleTimeoutSeconds + ' s'],
        ['listeners', lb.listeners.map((l) => l.protocol + ' ' + l.port + ' → ' + l.action).join(', ')]]);
    }
    const cert = doc.certificate;
    if (!sectionError('certificate', cert)) {
      const days = cert.notAfter ? Math.floor((new Date(cert.notAfter) - Date.now()) / 86400000) : null;
      kv('certificate', [['status', cert.status], ['names', cert.names.join(', ')], ['expires', cert.notAfter ? new Date(cert.notAfter).toLocaleDateString() + ' (in ' + days + ' days)' : '–'],
        ['in use', cert.inUse ? 'yes' : 'no']]);
    }
    const cache = doc.cache;
    if (!cache) $('cache').replaceChildren(el('p', { class: 'muted' }, 'this deployment has no cache'));
    else if (!sectionError('cache', cache)) {
      kv('cache', [['id', cache.id], ['status', cache.status], ['engine', cache.engine], ['nodes', cache.nodes + ' × ' + cache.nodeType],
        ['Multi-AZ', cache.multiAz], ['TLS', cache.transitEncryption ? 'yes' : 'no'], ['primary', cache.primaryEndpoint || '–'], ['reader', cache.readerEndpoint || '–']]);
    }
    if (!sectionError('secrets', doc.secrets)) {
      kv('secrets', (doc.secrets || []).map((x) => [x.name, x.exists ? 'present, changed ' + (x.lastChanged ? new Date(x.lastChanged).toLocaleString() : '–') : 'absent']));
    }
    const images = Array.isArray(doc.images) ? doc.images : [];
    rows('images', images.slice(0, 10), {
      attrs: (i) => ({ 'data-tags': i.tags.join(' ') }),
      columns: (i) => [i.tags.join(', ') || '(untagged)', el('code', { title: i.digest }, shortDigest(i.digest)), new Date(i.pushedAt).toLocaleString()],
    });
    $('deploy-tags').replaceChildren(...images.flatMap((i) => i.tags).map((t) => el('option', { value: t })));
    showButtons();
  }
  function sectionErrorRow(tableId, section, columns) {
    if (section && !Array.isArray(section)) {
      const body = document.querySelector('#' + tableId + ' tbody');
      body.replaceChildren(el('tr', {}, el('td', { colspan: columns, class: 'error' }, section.error ? describeError(section.error) : section.absent)));
      return true;
    }
    return false;
  }
  const pct = (a, b) => (b > 0 ? Math.min(100, Math.round((100 * a) / b)) : 0);

  // ---- actions ----
  function showAction(a) {
    const i = state.actions.findIndex((x) => x.id === a.id);
    if (i >= 0) state.actions[i] = a; else state.actions.unshift(a);
    renderAction();
  }
  function current() {
    return state.actions.find((a) => a.state === 'running') || state.actions[0];
  }
  function renderAction() {
    const a = current();
    if (!a) return;
    a.receivedAt = a.receivedAt || Date.now();
    $('action-title').textContent = a.kind + (a.tag ? ' ' + a.tag : '') + (a.count !== undefined ? ' to ' + a.count : '') + ' · started ' + when(a.startedAt);
    $('action-state').dataset.state = a.state;
    $('action-state').textContent = a.state;
    $('action').dataset.actionId = a.id;
    $('action').dataset.state = a.state;
    $('action-lines').textContent = a.lines.join('\n');
    $('action-lines').scrollTop = $('action-lines').scrollHeight;
    if (a.error) {
      $('action-error').hidden = false;
      $('action-error').textContent = describeError(a.error) + (a.error.step ? ' (step: ' + a.error.step + ')' : '');
    } else {
      $('action-error').hidden = true;
    }
    tick();
    showButtons();
  }
  function tick() {
    const a = current();
    if (!a) return;
    const ms = a.state === 'running' ? a.elapsedMs + (Date.now() - a.seenAt) : a.elapsedMs;
    $('action-elapsed').textContent = (a.state === 'running' ? 'running for ' : 'took ') + seconds(ms);
  }
  setInterval(tick, 1000);
  function busy() {
    return state.actions.some((a) => a.state === 'running') || state.posting;
  }
  function showButtons() {
    for (const id of ['deploy-button', 'scale-button', 'rollback-button', 'failover-button']) $(id).disabled = busy() || !state.overview;
  }

  function api(path, body) {
    return fetch(path, {
      method: body ? 'POST' : 'GET',
      headers: Object.assign({ Authorization: 'Bearer ' + token }, body ? { 'Content-Type': 'application/json' } : {}),
      body: body ? JSON.stringify(body) : undefined,
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
  }

  // Asks for the environment's name where the settings say so (production), then POSTs.
  function operate(path, body, what) {
    if (busy()) return;
    const send = (confirm) => {
      state.posting = true;
      showButtons();
      api(path, confirm ? Object.assign({ confirm }, body) : body).then(({ status, body: answer }) => {
        state.posting = false;
        if (status === 202) {
          answer.seenAt = Date.now();
          showAction(answer);
        } else {
          refused(answer.error);
        }
        showButtons();
      }).catch((e) => { state.posting = false; refused({ code: 'NetworkError', message: String(e) }); showButtons(); });
    };
    if (!state.env || !state.env.confirmChanges) {
      send(null);
      return;
    }
    const dialog = $('confirm');
    $('confirm-title').textContent = what;
    $('confirm-text').textContent = 'This changes ' + state.env.name + ' (' + state.env.publicUrl + ').';
    $('confirm-env').textContent = state.env.name;
    $('confirm-input').value = '';
    $('confirm-ok').disabled = true;
    dialog.onclose = () => { if (dialog.returnValue === 'ok') send($('confirm-input').value); };
    dialog.showModal();
    $('confirm-input').focus();
  }
  $('confirm-input').addEventListener('input', () => { $('confirm-ok').disabled = $('confirm-input').value !== state.env.name; });
  function refused(error) {
    $('action-error').hidden = false;
    $('action-error').textContent = 'Refused: ' + describeError(error);
  }
  $('deploy-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const tag = $('deploy-tag').value.trim();
    operate('/api/deploy', { tag }, 'Deploy ' + tag);
  });
  $('scale-count').addEventListener('input', () => { $('scale-count').dataset.touched = 'yes'; });
  $('scale-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const count = Number($('scale-count').value);
    delete $('scale-count').dataset.touched;
    operate('/api/scale', { count }, 'Scale to ' + count + ' tasks');
  });
  $('rollback-button').addEventListener('click', () => operate('/api/rollback', {}, 'Roll back to the previous revision'));
  $('failover-button').addEventListener('click', () => operate('/api/failover', {}, 'Fail the cache over to its replica'));

  // ---- seen from outside ----
  const charts = {};
  function chart(id, label) {
    const width = () => Math.max(200, $(id).clientWidth || 280);
    charts[id] = new uPlot({ width: width(), height: 120, legend: { show: false }, scales: { x: { time: true } },
      series: [{}, { label, stroke: '#2563eb', width: 2, fill: 'rgba(37,99,235,.08)' }],
      axes: [{ space: 60 }, { size: 40 }] }, [[], []], $(id));
    window.addEventListener('resize', () => charts[id].setSize({ width: width(), height: 120 }));
  }
  function showSamples() {
    const xs = state.samples.map((s) => Date.parse(s.at) / 1000);
    charts['chart-connections'].setData([xs, state.samples.map((s) => s.connections)]);
    charts['chart-games'].setData([xs, state.samples.map((s) => s.games)]);
    charts['chart-messages'].setData([xs, state.samples.map((s) => s.messagesPerSecond)]);
    const last = state.samples[state.samples.length - 1];
    if (last) {
      const h = $('public-health');
      h.dataset.state = last.healthStatus === 200 ? 'ok' : last.healthStatus === 0 ? 'down' : 'unhealthy';
      h.textContent = (last.healthStatus || 'no answer') + ' ' + last.health;
      $('public-note').textContent = '/health at ' + when(last.at) + '; ' + last.instances + ' task(s) answered /metrics';
    }
  }
  const horizon = 10 * 60 * 1000;

  // ---- the live stream ----
  function connect() {
    const events = new EventSource('/api/events?token=' + encodeURIComponent(token));
    events.onopen = () => { $('live').dataset.state = 'live'; $('live').textContent = 'live'; };
    events.onerror = () => { $('live').dataset.state = 'connecting'; $('live').textContent = 'reconnecting…'; };
    events.addEventListener('overview', (e) => showOverview(JSON.parse(e.data)));
    events.addEventListener('actions', (e) => {
      state.actions = JSON.parse(e.data).map((a) => Object.assign(a, { seenAt: Date.now() }));
      renderAction();
      showButtons();
    });
    events.addEventListener('action', (e) => showAction(Object.assign(JSON.parse(e.data), { seenAt: Date.now() })));
    events.addEventListener('samples', (e) => { state.samples = JSON.parse(e.data); showSamples(); });
    events.addEventListener('sample', (e) => {
      state.samples.push(JSON.parse(e.data));
      const since = Date.now() - horizon;
      state.samples = state.samples.filter((s) => Date.parse(s.at) >= since);
      showSamples();
    });
  }
  chart('chart-connections', 'connections');
  chart('chart-games', 'games');
  chart('chart-messages', 'messages/s');
  showButtons();
  connect();
})();
