// The reference game client, written from docs/protocol.md: everything it knows comes from the server's
// messages (the legal plays included: it has no rules of its own). Points are shown from the viewer's side:
// its home board bottom right (points 1-6), as the mover's gnubg notation counts them.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const client = { socket: null, me: null, state: null, version: -1, pending: new Map(), moves: [], selected: null,
    closing: false, retryMs: 500, awayUntil: {}, seq: 0 };
  window.playClient = client; // for a curious person's console; the page needs nothing else

  // ---- the connection: one socket, reopened after a drop or a drain; unanswered commands sent again, same id ----
  function connect() {
    const socket = new WebSocket('wss://ws.' + location.hostname + '/ws');
    const previous = client.socket;
    client.socket = socket;
    showConnection('connecting', 'connecting…');
    socket.onopen = () => {
      client.retryMs = 500;
      client.opened = (client.opened || 0) + 1;
      $('connection').dataset.opened = String(client.opened);
      showConnection('open', 'connected');
      for (const command of client.pending.values()) socket.send(JSON.stringify(command));
      if (previous && previous.readyState <= 1) previous.close(1000, 'moved to a new connection');
    };
    // a draining server's socket may still deliver: states carry versions, answers ids, so both are taken
    socket.onmessage = (e) => receive(JSON.parse(e.data));
    socket.onclose = () => {
      if (socket !== client.socket || client.closing) return;
      const wait = client.retryMs;
      client.retryMs = Math.min(10000, client.retryMs * 2);
      showConnection('reconnecting', 'reconnecting in ' + Math.round(wait / 100) / 10 + ' s…');
      setTimeout(connect, wait);
    };
  }
  function showConnection(state, text) { $('connection').dataset.state = state; $('connection').textContent = text; }
  function send(type, fields) {
    const command = Object.assign({ type, id: type + '-' + Date.now().toString(36) + '-' + (client.seq++) }, fields || {});
    client.pending.set(command.id, command);
    if (client.socket && client.socket.readyState === 1) client.socket.send(JSON.stringify(command));
    return command.id;
  }

  // ---- what the server says ----
  function receive(m) {
    switch (m.type) {
      case 'welcome':
        client.me = m.user;
        $('me').textContent = 'as ' + m.user.name;
        break;
      case 'ack':
        client.pending.delete(m.id);
        if (m.inviteCode) { $('invite').hidden = false; $('invite-code').textContent = m.inviteCode; }
        if (m.queued) { $('leave-queue').hidden = false; status('waiting for an opponent…'); }
        if (m.id && m.id.startsWith('play-')) client.moves = [];
        error('');
        break;
      case 'error':
        if (m.id) client.pending.delete(m.id);
        if (m.code === 'unavailable' && m.id) { retryLater(m.id); break; }
        error(m.code + ': ' + m.message);
        client.moves = [];
        render();
        break;
      case 'state':
        if (client.state && m.gameId === client.state.gameId && m.version <= client.state.version) break;
        if (!client.state || m.gameId !== client.state.gameId || !client.state.game || !m.game
            || client.state.game.toAct !== m.game.toAct || client.state.game.phase !== m.game.phase) {
          client.moves = [];
          client.selected = null;
        }
        client.state = m;
        $('leave-queue').hidden = true;
        render();
        break;
      case 'presence':
        if (m.connected) delete client.awayUntil[m.seat]; else client.awayUntil[m.seat] = Date.now() + m.forfeitInMs;
        renderPlayers();
        break;
      case 'chat':
        $('chat-lines').append(el('li', {}, m.from.name + ': ' + m.text));
        $('chat-lines').scrollTop = $('chat-lines').scrollHeight;
        break;
      case 'game_over': {
        const r = m.result;
        status((seatName(r.winner)) + ' wins ' + r.points + ' point(s) (' + r.kind + ', ' + r.ending.replace('_', ' ') + ')');
        break;
      }
      case 'server_draining':
        connect(); // the new connection first: the table does not even see us leave
        break;
      default:
        break;
    }
  }
  function retryLater(id) {
    const command = client.pending.get(id);
    if (command) setTimeout(() => { client.pending.set(id, command); client.socket.send(JSON.stringify(command)); }, 2000);
  }

  // ---- the picture ----
  function el(tag, attrs, ...children) {
    const node = tag === 'svg' || ['g', 'rect', 'circle', 'polygon', 'text'].includes(tag) ? document.createElementNS(SVG, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) node.setAttribute(k, v);
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  function status(text) { $('status').textContent = text; }
  function error(text) { $('error').hidden = !text; $('error').textContent = text; }
  function mySeat() {
    const s = client.state;
    if (!s || !client.me) return null;
    const p = s.players.find((x) => x && x.id === client.me.id);
    return p ? p.seat : null;
  }
  function viewSeat() { const seat = mySeat(); return seat === null ? 0 : seat; }
  function seatName(seat) { const p = client.state && client.state.players.find((x) => x && x.seat === seat); return p ? p.name : 'seat ' + seat; }

  /** The board from {@code seat}'s side: count of that seat's checkers (+) and the other's (−) on its points 1-24, bars, off. */
  function boardFor(seat) {
    const b = client.state.game.board;
    const points = [];
    for (let p = 1; p <= 24; p++) points[p] = seat === 0 ? b.points[p - 1] : -b.points[24 - p];
    return { points, bar: [b.bar[seat], b.bar[1 - seat]], off: [b.off[seat], b.off[1 - seat]] };
  }
  /** The board after the moves picked so far (the mover's own: the viewer is the mover while picking). */
  function previewBoard() {
    const board = boardFor(viewSeat());
    for (const [from, to] of client.moves) {
      if (from === 25) board.bar[0]--; else board.points[from]--;
      if (to === 0) { board.off[0]++; continue; }
      if (board.points[to] === -1) { board.points[to] = 0; board.bar[1]++; }
      board.points[to]++;
    }
    return board;
  }

  /** The legal plays still open after the moves picked (as multisets), and the steps each has left. */
  function openPlays() {
    const g = client.state && client.state.game;
    if (!g || g.phase !== 'play' || g.toAct !== mySeat()) return [];
    const open = [];
    for (const play of g.legalPlays) {
      const left = play.moves.map((m) => m.join('/'));
      let ok = true;
      for (const m of client.moves) {
        const i = left.indexOf(m.join('/'));
        if (i < 0) { ok = false; break; }
        left.splice(i, 1);
      }
      if (ok) open.push({ play, left: left.map((k) => k.split('/').map(Number)) });
    }
    return open;
  }

  function pointX(p) {
    if (p <= 6) return 360 + (6 - p) * 50;
    if (p <= 12) return 10 + (12 - p) * 50;
    if (p <= 18) return 10 + (p - 13) * 50;
    return 360 + (p - 19) * 50;
  }
  function render() {
    const s = client.state;
    $('lobby').hidden = !!s && s.status !== 'match_over';
    $('table').hidden = !s;
    if (!s) return;
    if (s.inviteCode) { $('invite').hidden = false; $('invite-code').textContent = s.inviteCode; }
    renderPlayers();
    const m = s.match;
    $('score').textContent = m ? 'score ' + m.score[viewSeat()] + '–' + m.score[1 - viewSeat()] + (m.length ? ' of ' + m.length : ' (money)')
      + (m.crawford ? ', Crawford game' : '') : '';
    const board = $('board');
    board.replaceChildren();
    const g = s.game;
    $('status').dataset.phase = g ? g.phase : s.status;
    $('status').dataset.version = String(s.version);
    $('status').dataset.status = s.status;
    $('status').dataset.toAct = g ? String(g.toAct) : '';
    if (!g) { status(s.status === 'waiting_for_opponent' ? 'waiting for an opponent…' : s.status); controls(null); return; }
    const view = viewSeat();
    const b = previewBoard();
    const open = openPlays();
    const sources = new Set(open.flatMap((o) => o.left.map((mv) => mv[0])));
    const targets = new Set(open.flatMap((o) => o.left.filter((mv) => mv[0] === client.selected).map((mv) => mv[1])));
    board.dataset.legal = JSON.stringify(g.toAct === mySeat() && g.phase === 'play' ? g.legalPlays.map((p) => p.moves) : []);
    board.dataset.view = String(view);
    for (let p = 1; p <= 24; p++) {
      const x = pointX(p);
      const top = p >= 13;
      const group = el('g', { 'data-point': p, class: 'point', 'data-source': sources.has(p) ? 'yes' : null,
        'data-target': targets.has(p) ? 'yes' : null, 'data-selected': client.selected === p ? 'yes' : null });
      group.append(el('polygon', { points: top ? `${x},10 ${x + 50},10 ${x + 25},180` : `${x},410 ${x + 50},410 ${x + 25},240`,
        fill: targets.has(p) ? '#f5c542' : p % 2 ? '#e8d3a9' : '#a0522d', stroke: client.selected === p ? '#fff' : 'none', 'stroke-width': 3 }));
      const n = b.points[p];
      const count = Math.abs(n);
      for (let i = 0; i < Math.min(count, 5); i++) {
        const cy = top ? 28 + i * 34 : 392 - i * 34;
        group.append(el('circle', { cx: x + 25, cy, r: 17, fill: n > 0 ? '#fafafa' : '#222', stroke: sources.has(p) && n > 0 ? '#f5c542' : '#555', 'stroke-width': 3 }));
      }
      if (count > 5) group.append(el('text', { x: x + 25, y: top ? 198 : 232, 'text-anchor': 'middle', fill: '#fff', 'font-size': 18 }, String(count)));
      group.append(el('text', { x: x + 25, y: top ? 8 : 419, 'text-anchor': 'middle', fill: '#fff', 'font-size': 9 }, String(p)));
      board.append(group);
    }
    // the bar (25: the viewer's checkers waiting to enter) and the trays (0: borne off)
    const bar = el('g', { 'data-point': 25, class: 'point', 'data-source': sources.has(25) ? 'yes' : null });
    bar.append(el('rect', { x: 310, y: 10, width: 50, height: 400, fill: '#4a2f18' }));
    if (b.bar[0]) bar.append(el('circle', { cx: 335, cy: 300, r: 19, fill: '#fafafa', stroke: sources.has(25) ? '#f5c542' : '#555', 'stroke-width': 3 }),
      el('text', { x: 335, y: 306, 'text-anchor': 'middle', 'font-size': 16 }, String(b.bar[0])));
    if (b.bar[1]) bar.append(el('circle', { cx: 335, cy: 120, r: 19, fill: '#222' }),
      el('text', { x: 335, y: 126, 'text-anchor': 'middle', fill: '#fff', 'font-size': 16 }, String(b.bar[1])));
    board.append(bar);
    const off = el('g', { 'data-point': 0, class: 'point', 'data-target': targets.has(0) ? 'yes' : null });
    off.append(el('rect', { x: 665, y: 10, width: 50, height: 400, fill: targets.has(0) ? '#f5c542' : '#4a2f18' }),
      el('text', { x: 690, y: 390, 'text-anchor': 'middle', fill: '#fff', 'font-size': 16 }, 'off ' + b.off[0]),
      el('text', { x: 690, y: 40, 'text-anchor': 'middle', fill: '#fff', 'font-size': 16 }, 'off ' + b.off[1]));
    board.append(off);
    // dice, cube, pips
    // (dice, cube and pips take no clicks: a click there is the point's, the bar's or the tray's below)
    if (g.dice) g.dice.forEach((d, i) => board.append(el('rect', { x: 470 + i * 46, y: 190, width: 38, height: 38, rx: 6, fill: g.toAct === view ? '#fafafa' : '#222', 'pointer-events': 'none' }),
      el('text', { x: 489 + i * 46, y: 217, 'text-anchor': 'middle', 'font-size': 22, fill: g.toAct === view ? '#222' : '#fafafa', class: 'die', 'pointer-events': 'none' }, String(d))));
    const cubeY = g.cube.owner === null ? 190 : g.cube.owner === view ? 330 : 50;
    if (s.match && s.match.cube !== false) board.append(el('rect', { x: 318, y: cubeY, width: 34, height: 34, rx: 4, fill: '#eee', 'pointer-events': 'none' }),
      el('text', { x: 335, y: cubeY + 24, 'text-anchor': 'middle', 'font-size': 18, id: 'cube', 'pointer-events': 'none' }, String(g.cube.value === 1 ? 64 : g.cube.value)));
    board.append(el('text', { x: 20, y: 232, fill: '#fff', 'font-size': 14, id: 'pips', 'pointer-events': 'none' }, 'pips ' + g.pips[view] + ' – ' + g.pips[1 - view]));
    statusLine(g, open);
    controls(g, open);
  }
  function statusLine(g, open) {
    const mine = g.toAct === mySeat();
    const who = mine ? 'You' : seatName(g.toAct);
    const texts = { roll: who + (mine ? ' are' : ' is') + ' to roll or double', play: who + ' to play ' + (g.dice || []).join('-'),
      double_offered: who + (mine ? ' are' : ' is') + ' offered a double: take or drop', resignation_offered: who + ' to answer a resignation offer',
      over: 'the game is over' };
    let text = texts[g.phase] || g.phase;
    if (g.passed) text += ' · ' + seatName(g.passed.seat) + ' rolled ' + g.passed.dice.join('-') + ' and could not move';
    if (mine && g.phase === 'play' && open.length && client.moves.length) text += ' · picked ' + client.moves.map((mv) => mv.join('/')).join(' ');
    status(text);
  }
  function controls(g, open) {
    const mine = g && g.toAct === mySeat();
    const seated = mySeat() !== null;
    const complete = open && open.some((o) => o.left.length === 0);
    $('roll').hidden = !(mine && g.phase === 'roll');
    $('roll').disabled = false;
    $('double').hidden = !(mine && g.phase === 'roll' && g.cube.canDouble);
    $('send').hidden = !(mine && g.phase === 'play');
    $('send').disabled = !complete;
    $('undo').hidden = !(mine && g.phase === 'play');
    $('undo').disabled = client.moves.length === 0;
    $('take').hidden = !(mine && g.phase === 'double_offered');
    $('drop').hidden = $('take').hidden;
    $('beaver').hidden = true;
    $('accept').hidden = !(mine && g.phase === 'resignation_offered');
    $('decline').hidden = $('accept').hidden;
    $('resign-box').hidden = !(seated && g && (g.phase === 'roll' || g.phase === 'play'));
    $('rematch').hidden = !(seated && client.state && client.state.status === 'match_over');
    $('leave').hidden = !client.state;
    $('chat-form').hidden = !seated;
  }
  function renderPlayers() {
    const s = client.state;
    if (!s) return;
    $('players').replaceChildren(...s.players.filter(Boolean).map((p) => {
      const away = client.awayUntil[p.seat];
      const left = away ? Math.max(0, Math.ceil((away - Date.now()) / 1000)) : 0;
      return el('span', { class: away ? 'away' : '', 'data-seat': p.seat }, (p.seat === 0 ? '○ ' : '● ') + p.name
        + (client.me && p.id === client.me.id ? ' (you)' : '') + (away ? ' — away, forfeits in ' + left + ' s' : p.connected ? '' : ' — away') + '  ');
    }));
  }
  setInterval(() => { if (Object.keys(client.awayUntil).length) renderPlayers(); }, 1000);

  // ---- what the player does ----
  $('board').addEventListener('click', (e) => {
    const group = e.target.closest('[data-point]');
    if (!group) return;
    const p = Number(group.dataset.point);
    const open = openPlays();
    if (client.selected !== null && open.some((o) => o.left.some((mv) => mv[0] === client.selected && mv[1] === p))) {
      client.moves.push([client.selected, p]);
      client.selected = null;
      const next = openPlays();
      const sources = new Set(next.flatMap((o) => o.left.map((mv) => mv[0])));
      if (sources.size === 1 && !next.some((o) => o.left.length === 0)) client.selected = [...sources][0];
    } else if (open.some((o) => o.left.some((mv) => mv[0] === p))) {
      client.selected = p;
    } else {
      client.selected = null;
    }
    render();
  });
  $('undo').addEventListener('click', () => { client.moves.pop(); client.selected = null; render(); });
  $('send').addEventListener('click', () => {
    const done = openPlays().find((o) => o.left.length === 0);
    if (done) { $('send').disabled = true; send('play', { moves: done.play.moves }); }
  });
  // a button that sends stays disabled until the server's next state or error is shown (a double click sends once)
  $('roll').addEventListener('click', () => { $('roll').disabled = true; send('roll'); });
  for (const [id, type] of [['double', 'double'], ['take', 'take'], ['drop', 'drop'], ['beaver', 'beaver'], ['accept', 'accept_resignation'],
    ['decline', 'decline_resignation'], ['rematch', 'rematch']]) $(id).addEventListener('click', () => send(type));
  $('resign').addEventListener('click', () => send('resign', { level: $('resign-level').value }));
  $('leave').addEventListener('click', () => { send('leave'); client.state = null; render(); $('lobby').hidden = false; $('table').hidden = true; });
  $('create-form').addEventListener('submit', (e) => { e.preventDefault(); send('create', { matchLength: Number($('create-length').value), cube: $('create-cube').checked, private: $('create-private').checked }); });
  $('join-form').addEventListener('submit', (e) => { e.preventDefault(); send('join', { code: $('join-code').value.trim() }); });
  $('quick-form').addEventListener('submit', (e) => { e.preventDefault(); send('quick_match', { matchLength: Number($('quick-length').value) }); });
  $('leave-queue').addEventListener('click', () => { send('leave_queue'); $('leave-queue').hidden = true; status(''); });
  $('spectate-form').addEventListener('submit', (e) => { e.preventDefault(); send('spectate', { gameId: $('spectate-id').value.trim() }); });
  $('chat-form').addEventListener('submit', (e) => { e.preventDefault(); const text = $('chat-text').value.trim(); if (text) { send('chat', { text }); $('chat-text').value = ''; } });

  connect();
})();
