// The reference game client, written from docs/protocol.md: everything it shows comes from the server's
// messages (the legal plays, the opening roll, the last play, each game's result: it has no rules of its own).
// The board is drawn from the viewer's side: its home board bottom right (points 1-6), as the mover's gnubg
// notation counts them; a spectator sees seat 0's side.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const client = {
    socket: null, me: null, state: null, pending: new Map(), moves: [], selected: null, closing: false, retryMs: 500,
    seq: 0, opened: 0, awayUntil: {}, backAt: {}, watching: null, left: null, queued: null, note: '', draining: false,
    link: new URLSearchParams(location.search), confirmLeave: false,
  };
  window.playClient = client; // for a curious person's console; the page needs nothing else

  // ---- the connection: one socket, reopened after a drop or a drain; unanswered commands sent again, same id ----
  function connect() {
    const socket = new WebSocket('wss://ws.' + location.hostname + '/ws');
    const previous = client.socket;
    client.socket = socket;
    if (!client.draining) showConnection('connecting', client.opened ? 'reconnecting…' : 'connecting…');
    socket.onopen = () => {
      client.retryMs = 500;
      client.draining = false;
      client.opened++;
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
      showConnection('reconnecting', 'connection lost: reconnecting in ' + Math.max(1, Math.round(wait / 1000)) + ' s…');
      setTimeout(connect, wait);
    };
  }
  function showConnection(state, text) { $('connection').dataset.state = state; $('connection').textContent = text; }
  function send(type, fields) {
    const command = Object.assign({ type, id: type + '-' + Date.now().toString(36) + '-' + (client.seq++) }, fields || {});
    client.pending.set(command.id, command);
    refusal('');
    if (client.socket && client.socket.readyState === 1) client.socket.send(JSON.stringify(command));
    return command;
  }
  function sendAgain(command) {
    client.pending.set(command.id, command);
    if (client.socket && client.socket.readyState === 1) client.socket.send(JSON.stringify(command));
  }

  // ---- what the server says ----
  function receive(m) {
    switch (m.type) {
      case 'welcome': welcome(m); break;
      case 'ack': acknowledged(m); break;
      case 'error': refused(m); break;
      case 'state': stateOf(m); break;
      case 'presence': presence(m); break;
      case 'chat':
        if (client.state && m.gameId === client.state.gameId) {
          $('chat-lines').append(el('li', {}, m.from.name + ': ' + m.text));
          $('chat-lines').scrollTop = $('chat-lines').scrollHeight;
        }
        break;
      case 'game_over': break; // the next state says the same (match.results), and outlives a reconnect
      case 'server_draining':
        client.draining = true;
        showConnection('reconnecting', 'the server is restarting: moving to another…');
        connect(); // the new connection first: the table does not even see us leave
        break;
      default: break;
    }
  }
  function welcome(m) {
    client.me = m.user;
    $('me').textContent = 'as ' + m.user.name;
    if (m.gameId) return render(); // the table's state follows
    if (client.watching) {
      send('spectate', { gameId: client.watching }); // watching does not outlive a connection: ask again
    } else if (client.state && client.state.status !== 'match_over' && !client.pending.size) {
      // the table went while we were away (a waiting table closes when its player leaves)
      leaveTable('The table you were at has closed.');
    }
    const join = client.link.get('join');
    const watch = client.link.get('watch');
    if (join || watch) {
      client.link = new URLSearchParams();
      history.replaceState(null, '', '/play');
      if (join) send('join', { code: join });
      else watchGame(watch);
    }
    render();
  }
  function acknowledged(m) {
    const command = client.pending.get(m.id);
    client.pending.delete(m.id);
    if (!command) return;
    if (command.type === 'quick_match' && m.queued) client.queued = command.matchLength;
    if (command.type === 'leave_queue') client.queued = null;
    if (command.type === 'play') { client.moves = []; client.selected = null; }
    render();
  }
  const REFUSALS = {
    rate_limited: () => 'Slow down: too many messages at once.',
    unavailable: () => 'The game server is busy: trying again…',
    busy: () => 'The table was busy: trying again…',
    not_your_turn: () => 'Not your turn.',
    bad_state: (m) => 'Not now: ' + m.message + '.',
    not_found: (m) => 'Not found: ' + m.message + '.',
  };
  function refused(m) {
    const command = m.id ? client.pending.get(m.id) : null;
    if (m.id) client.pending.delete(m.id);
    if (command && (m.code === 'unavailable' || m.code === 'busy')) {
      setTimeout(() => sendAgain(command), 2000); // same id: applied once, whatever happened before
    }
    if (command && command.type === 'spectate') client.watching = null;
    if (command && command.type === 'play') { client.moves = []; client.selected = null; }
    refusal((REFUSALS[m.code] || ((x) => x.message.charAt(0).toUpperCase() + x.message.slice(1) + '.'))(m));
    render();
  }
  function stateOf(m) {
    if (m.gameId === client.left) return;
    const old = client.state;
    if (old && m.gameId === old.gameId && m.version <= old.version) return;
    const sameTurn = old && m.gameId === old.gameId && old.game && m.game && old.game.toAct === m.game.toAct
      && old.game.phase === m.game.phase && old.match.gameNumber === m.match.gameNumber;
    if (!sameTurn) { client.moves = []; client.selected = null; }
    if (!old || m.gameId !== old.gameId || m.status !== 'playing') client.confirmLeave = false;
    if (!old || m.gameId !== old.gameId) { $('chat-lines').replaceChildren(); client.awayUntil = {}; client.backAt = {}; }
    client.state = m;
    client.queued = null;
    client.note = '';
    for (const p of m.players) {
      const was = old && old.gameId === m.gameId ? old.players.find((q) => q.seat === p.seat) : null;
      if (!p.id || !p.connected) continue;
      if (was && was.id && !was.connected) client.backAt[p.seat] = Date.now(); // seen away, now back
      delete client.awayUntil[p.seat];
    }
    render();
  }
  function presence(m) {
    if (!client.state || m.gameId !== client.state.gameId) return;
    if (m.connected) {
      // "back" only where this page saw the player away
      if (client.awayUntil[m.seat] !== undefined) client.backAt[m.seat] = Date.now();
      delete client.awayUntil[m.seat];
    }
    else { client.awayUntil[m.seat] = Date.now() + m.forfeitInMs; delete client.backAt[m.seat]; }
    renderPlayers();
  }

  // ---- words ----
  function player(seat) { const s = client.state; return s && s.players.find((p) => p.seat === seat && p.id); }
  function nameOf(seat) { const p = player(seat); return p ? p.name : 'the other player'; }
  function mySeat() {
    const s = client.state;
    if (!s || !client.me) return null;
    const p = s.players.find((x) => x.id && x.id === client.me.id);
    return p ? p.seat : null;
  }
  function viewSeat() { const seat = mySeat(); return seat === null ? 0 : seat; }
  /** "you" or the seat's name, with the verb that goes with it: who(1, 'roll', 'rolls'); cap() starts a sentence with it. */
  function who(seat, youVerb, otherVerb) { return seat === mySeat() ? 'you ' + youVerb : nameOf(seat) + ' ' + otherVerb; }
  function whom(seat) { return seat === mySeat() ? 'you' : nameOf(seat); }
  function cap(text) { return text.charAt(0).toUpperCase() + text.slice(1); }
  function points(n) { return n + (n === 1 ? ' point' : ' points'); }
  const KINDS = { single: 'a single game', gammon: 'a gammon', backgammon: 'a backgammon' };
  /** A finished game in a sentence: who won, how much, how. */
  function describeResult(r) {
    const loser = 1 - r.winner;
    const won = cap(who(r.winner, 'win', 'wins')) + ' ' + points(r.points);
    switch (r.ending) {
      case 'dropped': return won + ': ' + who(loser, 'dropped', 'dropped') + ' the double';
      case 'resigned': return won + ': ' + who(loser, 'resigned', 'resigned') + ' ' + KINDS[r.kind];
      case 'forfeit': return won + ': ' + who(loser, 'forfeited', 'forfeited') + ' the match';
      default: return won + (r.kind === 'single' ? '' : ' with ' + KINDS[r.kind]) + ': all checkers borne off';
    }
  }
  function scoreText(m, seat) { return m.score ? String(m.score[seat]) : '0'; }

  // ---- the picture ----
  function el(tag, attrs, ...children) {
    const svg = ['svg', 'g', 'rect', 'circle', 'polygon', 'text', 'line', 'path'].includes(tag);
    const node = svg ? document.createElementNS(SVG, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v);
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  function refusal(text) { $('refusal').hidden = !text; $('refusal').textContent = text; }

  function render() {
    const s = client.state;
    const atTable = !!s;
    $('page-note').hidden = !client.note;
    $('page-note').textContent = client.note;
    $('table').hidden = !atTable;
    $('queue').hidden = atTable || client.queued === null;
    $('lobby').hidden = atTable || client.queued !== null || !client.me;
    if (client.queued !== null) {
      $('queue-text').textContent = 'Looking for an opponent for ' + (client.queued ? 'a ' + client.queued + '-point match' : 'a money game') + '…';
    }
    if (!atTable) return;
    const m = s.match;
    const view = viewSeat();
    renderPlayers();
    $('match-line').textContent = (s.status === 'waiting_for_opponent' ? '' : 'Game ' + m.gameNumber + ' · ')
      + (m.length ? 'match to ' + m.length : 'money game') + (m.cube ? '' : ' · no cube')
      + (s.status !== 'playing' ? '' : m.crawford ? ' · Crawford game: no doubling' : m.postCrawford ? ' · post-Crawford' : '');
    const waiting = s.status === 'waiting_for_opponent';
    $('waiting').hidden = !(waiting && s.inviteCode);
    if (s.inviteCode) {
      $('invite-code').textContent = s.inviteCode;
      $('invite-link').textContent = location.origin + '/play?join=' + s.inviteCode;
      $('invite-link').href = '/play?join=' + s.inviteCode;
    }
    $('board').style.display = waiting ? 'none' : ''; // an SVG element has no 'hidden' of its own
    const banner = $('banner');
    banner.dataset.version = String(s.version);
    banner.dataset.status = s.status;
    banner.dataset.phase = s.game ? s.game.phase : '';
    banner.dataset.toAct = s.game ? String(s.game.toAct) : '';
    const g = s.game;
    if (waiting) {
      banner.dataset.mine = 'no';
      banner.textContent = mySeat() === null ? 'Waiting for a second player' : 'Waiting for an opponent';
      $('notice').textContent = mySeat() === null ? '' : 'Your ' + (m.length ? m.length + '-point match' : 'money game') + ' starts when someone joins.';
      drawBoard(null);
      controls(null, []);
      return;
    }
    const open = openPlays();
    banner.dataset.mine = g.toAct === mySeat() && s.status === 'playing' ? 'yes' : 'no';
    banner.textContent = bannerText(s, g, open);
    $('notice').textContent = noticeText(s, g);
    $('details').textContent = 'Game ' + s.gameId + ' · gnubg position ' + g.positionId + ' · match ' + g.matchId
      + (mySeat() !== null ? ' · friends can watch at ' + location.origin + '/play?watch=' + s.gameId : '');
    drawBoard(g, open, view);
    controls(g, open);
  }

  function bannerText(s, g, open) {
    const m = s.match;
    if (s.status === 'match_over') {
      const w = m.winner;
      return cap(who(w, 'win', 'wins')) + ' the ' + (m.length ? 'match ' : 'game ') + m.score[w] + '–' + m.score[1 - w];
    }
    const mine = g.toAct === mySeat();
    const dice = g.dice ? g.dice.join('-') : '';
    switch (g.phase) {
      case 'roll':
        return mine ? 'Your turn: roll' + (g.cube.canDouble ? ' or double' : '') : nameOf(g.toAct) + '’s turn to roll';
      case 'play': {
        const opening = g.openingRoll ? 'Opening roll: ' + whom(0) + ' ' + g.openingRoll[0] + ', ' + whom(1) + ' ' + g.openingRoll[1] + '. ' : '';
        if (!mine) return opening + nameOf(g.toAct) + ' to play ' + dice;
        const picked = client.moves.length ? ' · picked ' + client.moves.map((mv) => mv.join('/')).join(' ') : '';
        const complete = open.some((o) => o.left.length === 0);
        return opening + 'Your turn: play ' + dice + (complete ? ' · press Play (Enter)' : picked ? picked : ' · pick a checker, then where it goes')
          + (complete && picked ? picked : '');
      }
      case 'double_offered': {
        const doubler = 1 - g.toAct;
        const value = g.cube.value * 2;
        if (mine) return nameOf(doubler) + ' doubles to ' + value + ': take or drop?';
        if (doubler === mySeat()) return 'You doubled to ' + value + ': waiting for ' + nameOf(g.toAct) + ' to take or drop';
        return nameOf(doubler) + ' doubles to ' + value + ': ' + nameOf(g.toAct) + ' to take or drop';
      }
      case 'resignation_offered': {
        const r = g.resignation;
        const offer = KINDS[r.level] + ' (' + points(r.points) + ')';
        if (mine) return nameOf(r.by) + ' offers to resign ' + offer + ': accept or decline?';
        if (r.by === mySeat()) return 'You offered to resign ' + offer + ': waiting for ' + nameOf(g.toAct);
        return nameOf(r.by) + ' offers to resign ' + offer + ': ' + nameOf(g.toAct) + ' to answer';
      }
      default:
        return 'The game is over';
    }
  }

  /** What just happened: a roll that could not be played, the last decision, the last play, the last game's result. */
  function noticeText(s, g) {
    const results = s.match.results || [];
    if (s.status === 'match_over' && results.length) return describeResult(results[results.length - 1]) + '.' + rematchText(s);
    if (g.passed) {
      return cap(who(g.passed.seat, 'rolled', 'rolled')) + ' ' + g.passed.dice.join('-') + ' and could not move: the turn passes.';
    }
    const a = g.lastAction;
    if (!a && results.length) return 'Game ' + results.length + ': ' + describeResult(results[results.length - 1]) + '.';
    if (a && a.action === 'take') {
      return cap(who(a.seat, 'took', 'took')) + ' the double: the cube is at ' + g.cube.value + ', ' + (a.seat === mySeat() ? 'yours' : nameOf(a.seat) + '’s') + '.';
    }
    if (a && a.action === 'beaver') return cap(who(a.seat, 'beavered', 'beavered')) + ': the cube is at ' + g.cube.value + '.';
    if (a && a.action === 'decline_resignation') return cap(who(a.seat, 'declined', 'declined')) + ' the resignation: play on.';
    if (g.lastPlay) return 'Last move: ' + who(g.lastPlay.seat, 'played', 'played') + ' ' + g.lastPlay.dice.join('-') + ': ' + g.lastPlay.play + '.';
    return '';
  }
  function rematchText(s) {
    const asked = s.match.rematch || [false, false];
    const me = mySeat();
    if (me !== null && asked[me] && !asked[1 - me]) return ' You asked for a rematch: waiting for ' + nameOf(1 - me) + '.';
    if (me !== null && asked[1 - me] && !asked[me]) return ' ' + nameOf(1 - me) + ' wants a rematch.';
    if (me === null && (asked[0] || asked[1])) return ' ' + nameOf(asked[0] ? 0 : 1) + ' wants a rematch.';
    return '';
  }

  function renderPlayers() {
    const s = client.state;
    if (!s) return;
    const g = s.game;
    for (const seat of [0, 1]) {
      const p = player(seat);
      const box = $('player-' + seat);
      box.dataset.empty = p ? 'no' : 'yes';
      box.dataset.acts = p && g && s.status === 'playing' && g.toAct === seat ? 'yes' : 'no';
      if (!p) { box.replaceChildren(el('span', {}, (seat === 0 ? '○ ' : '● ') + 'waiting for a player…')); continue; }
      const parts = [el('span', { class: 'name' }, (box.dataset.acts === 'yes' ? '▶ ' : '') + (seat === 0 ? '○ ' : '● ') + p.name
        + (client.me && p.id === client.me.id ? ' (you)' : ''))];
      if (s.match.score) parts.push(' · ' + points(s.match.score[seat]));
      if (g) parts.push(' · ' + g.pips[seat] + ' pips');
      const away = client.awayUntil[seat];
      if (!p.connected) {
        const left = away ? Math.max(0, Math.ceil((away - Date.now()) / 1000)) : null;
        parts.push(' ', el('span', { class: 'away' }, left === null ? '— away' : '— away: forfeits in ' + left + ' s'));
      } else if (client.backAt[seat] && Date.now() - client.backAt[seat] < 15000) {
        parts.push(' ', el('span', { class: 'back' }, '— back'));
      }
      box.replaceChildren(...parts);
    }
  }
  setInterval(() => { if (Object.keys(client.awayUntil).length || Object.keys(client.backAt).length) renderPlayers(); }, 1000);

  /** The board from the viewer's side: the viewer's checkers (+) and the other's (−) on its points 1-24, bars, off. */
  function boardFor(seat) {
    const b = client.state.game.board;
    const pts = [];
    for (let p = 1; p <= 24; p++) pts[p] = seat === 0 ? b.points[p - 1] : -b.points[24 - p];
    return { points: pts, bar: [b.bar[seat], b.bar[1 - seat]], off: [b.off[seat], b.off[1 - seat]] };
  }
  /** The board after the moves picked so far (the viewer is the mover while picking). */
  function previewBoard(view) {
    const board = boardFor(view);
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
    if (!g || g.phase !== 'play' || g.toAct !== mySeat() || client.state.status !== 'playing') return [];
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

  // geometry (viewBox 720 x 470): points 50 wide; top row 30-215, bottom row 255-440; numbers above and below
  const TOP = 30, BOTTOM = 440, TIP = 185, R = 21, STEP = 36;
  const COLOR = ['#f7f3ea', '#1f1f1f'], EDGE = ['#8a7a60', '#000'], INK = ['#1f1f1f', '#f7f3ea'];
  function pointX(p) {
    if (p <= 6) return 360 + (6 - p) * 50;
    if (p <= 12) return 10 + (12 - p) * 50;
    if (p <= 18) return 10 + (p - 13) * 50;
    return 360 + (p - 19) * 50;
  }
  /** Where a move's end is drawn for the viewer: a point, the bar (25) or the tray (0) of {@code side} (0 the viewer, 1 the other). */
  function spot(p, side) {
    if (p === 25) return { x: 335, y: side === 0 ? 330 : 140 };
    if (p === 0) return { x: 690, y: side === 0 ? 420 : 50 };
    return { x: pointX(p) + 25, y: p >= 13 ? TOP + TIP + 12 : BOTTOM - TIP - 12 };
  }

  function drawBoard(g, open, view) {
    const board = $('board');
    board.replaceChildren();
    board.dataset.legal = '[]';
    if (!g) return;
    const b = previewBoard(view);
    const sources = new Set(open.flatMap((o) => o.left.map((mv) => mv[0])));
    const targets = new Set(open.flatMap((o) => o.left.filter((mv) => mv[0] === client.selected).map((mv) => mv[1])));
    board.dataset.legal = JSON.stringify(open.length ? g.legalPlays.map((p) => p.moves) : []);
    const colors = [view, 1 - view]; // the viewer's checkers, the other's: each seat keeps its colour
    board.append(el('rect', { x: 10, y: TOP, width: 650, height: BOTTOM - TOP, fill: '#7b5331' }));
    for (let p = 1; p <= 24; p++) {
      const x = pointX(p);
      const top = p >= 13;
      const group = el('g', { 'data-point': p, class: 'point', 'data-source': sources.has(p) ? 'yes' : null,
        'data-target': targets.has(p) ? 'yes' : null, 'data-selected': client.selected === p ? 'yes' : null });
      group.append(el('rect', { x, y: top ? 0 : BOTTOM - TIP - 20, width: 50, height: TIP + 50, fill: 'transparent' }));
      group.append(el('polygon', { points: top ? `${x},${TOP} ${x + 50},${TOP} ${x + 25},${TOP + TIP}` : `${x},${BOTTOM} ${x + 50},${BOTTOM} ${x + 25},${BOTTOM - TIP}`,
        fill: targets.has(p) ? '#f5c542' : p % 2 ? '#e6cf9f' : '#a4502a', stroke: client.selected === p ? '#fff' : 'none', 'stroke-width': 3 }));
      const n = b.points[p];
      const count = Math.abs(n);
      const side = n > 0 ? 0 : 1;
      for (let i = 0; i < Math.min(count, 5); i++) {
        const cy = top ? TOP + R + i * STEP : BOTTOM - R - i * STEP;
        group.append(el('circle', { cx: x + 25, cy, r: R, fill: COLOR[colors[side]], stroke: sources.has(p) && n > 0 ? '#f5c542' : EDGE[colors[side]], 'stroke-width': 3 }));
      }
      if (count > 5) {
        group.append(el('text', { x: x + 25, y: (top ? TOP + R + 4 * STEP : BOTTOM - R - 4 * STEP) + 7, 'text-anchor': 'middle', 'font-size': 20,
          'font-weight': 700, fill: INK[colors[side]] }, String(count)));
      }
      group.append(el('text', { x: x + 25, y: top ? 22 : 463, 'text-anchor': 'middle', fill: '#fff', 'font-size': 20, 'font-weight': 600, class: 'number' }, String(p)));
      board.append(group);
    }
    // the bar (25: the viewer's checkers waiting to enter) and the trays (0: borne off)
    const bar = el('g', { 'data-point': 25, class: 'point', 'data-source': sources.has(25) ? 'yes' : null });
    bar.append(el('rect', { x: 310, y: TOP, width: 50, height: BOTTOM - TOP, fill: '#4a2f18' }));
    for (const side of [0, 1]) {
      if (!b.bar[side]) continue;
      const cy = side === 0 ? 330 : 140;
      bar.append(el('circle', { cx: 335, cy, r: R, fill: COLOR[colors[side]], stroke: side === 0 && sources.has(25) ? '#f5c542' : EDGE[colors[side]], 'stroke-width': 3 }),
        el('text', { x: 335, y: cy + 7, 'text-anchor': 'middle', 'font-size': 20, 'font-weight': 700, fill: INK[colors[side]] }, String(b.bar[side])));
    }
    board.append(bar);
    const off = el('g', { 'data-point': 0, class: 'point', 'data-target': targets.has(0) ? 'yes' : null });
    off.append(el('rect', { x: 665, y: TOP, width: 50, height: BOTTOM - TOP, fill: targets.has(0) ? '#f5c542' : '#4a2f18' }));
    for (const side of [0, 1]) {
      for (let i = 0; i < b.off[side]; i++) {
        off.append(el('rect', { x: 670, y: side === 0 ? BOTTOM - 12 - i * 12 : TOP + 2 + i * 12, width: 40, height: 10, rx: 2, fill: COLOR[colors[side]], stroke: EDGE[colors[side]] }));
      }
    }
    board.append(off);
    // the last move: a ring where each step began, a dashed line to a dot where it ended (counted from the mover's side)
    if (g.lastPlay && !client.moves.length) {
      const mover = g.lastPlay.seat === view ? 0 : 1;
      const toView = (p) => (mover === 0 || p === 0 || p === 25 ? p : 25 - p);
      for (const [from, to] of g.lastPlay.moves) {
        const a = spot(toView(from), mover);
        const z = spot(toView(to), mover);
        board.append(el('line', { x1: a.x, y1: a.y, x2: z.x, y2: z.y, stroke: '#ff9f1c', 'stroke-width': 3, 'stroke-dasharray': '6 5', 'pointer-events': 'none' }),
          el('circle', { cx: a.x, cy: a.y, r: 9, fill: 'none', stroke: '#ff9f1c', 'stroke-width': 4, class: 'last-from', 'pointer-events': 'none' }),
          el('circle', { cx: z.x, cy: z.y, r: 9, fill: '#ff9f1c', class: 'last-to', 'pointer-events': 'none' }));
      }
    }
    // dice (the roller's colours), cube (by its owner, centred on the bar when nobody owns it)
    const dice = g.dice || (g.passed ? g.passed.dice : null);
    const roller = g.dice ? g.onRoll : g.passed ? g.passed.seat : null;
    if (dice) dice.forEach((d, i) => board.append(die(roller === view ? 455 : 115, i, d, roller)));
    if (client.state.match.cube) {
      const owner = g.cube.owner;
      const y = owner === null ? 218 : owner === view ? 395 : 40;
      board.append(el('rect', { x: 315, y, width: 40, height: 40, rx: 5, fill: '#eee', stroke: '#333', 'pointer-events': 'none' }),
        el('text', { x: 335, y: y + 28, 'text-anchor': 'middle', 'font-size': 22, 'font-weight': 700, 'pointer-events': 'none' },
          String(g.cube.value === 1 ? 64 : g.cube.value)));
    }
  }
  const PIPS = { 1: [[2, 2]], 2: [[1, 1], [3, 3]], 3: [[1, 1], [2, 2], [3, 3]], 4: [[1, 1], [3, 1], [1, 3], [3, 3]],
    5: [[1, 1], [3, 1], [2, 2], [1, 3], [3, 3]], 6: [[1, 1], [3, 1], [1, 2], [3, 2], [1, 3], [3, 3]] };
  function die(left, i, value, seat) {
    const x = left + i * 52;
    const y = 215;
    const group = el('g', { 'pointer-events': 'none', class: 'die', 'data-value': value });
    group.append(el('rect', { x, y, width: 42, height: 42, rx: 7, fill: COLOR[seat], stroke: EDGE[seat], 'stroke-width': 2 }));
    for (const [cx, cy] of PIPS[value]) group.append(el('circle', { cx: x + cx * 10.5, cy: y + cy * 10.5, r: 4, fill: INK[seat] }));
    return group;
  }

  function controls(g, open) {
    const s = client.state;
    const me = mySeat();
    const seated = me !== null;
    const playing = s.status === 'playing';
    const mine = !!g && playing && g.toAct === me;
    const complete = open.some((o) => o.left.length === 0);
    $('roll').hidden = !(mine && g.phase === 'roll');
    $('roll').disabled = false;
    $('double').hidden = !(mine && g.phase === 'roll' && g.cube.canDouble);
    $('double').textContent = g ? 'Double to ' + g.cube.value * 2 : 'Double';
    $('send').hidden = !(mine && g.phase === 'play');
    $('send').disabled = !complete;
    $('send').className = complete ? 'primary' : '';
    $('undo').hidden = !(mine && g.phase === 'play');
    $('undo').disabled = client.moves.length === 0;
    $('take').hidden = !(mine && g.phase === 'double_offered');
    $('drop').hidden = $('take').hidden;
    $('beaver').hidden = true; // the protocol offers no beaver at these tables
    $('accept').hidden = !(mine && g.phase === 'resignation_offered');
    $('decline').hidden = $('accept').hidden;
    $('resign-box').hidden = !(seated && playing && g && (g.phase === 'roll' || g.phase === 'play'));
    const asked = s.match.rematch || [false, false];
    $('rematch').hidden = !(seated && s.status === 'match_over' && !asked[me]);
    $('rematch').textContent = seated && asked[1 - me] ? 'Accept the rematch' : 'Rematch';
    const leave = !seated ? ['Stop watching', 'You go back to the lobby; the game goes on.']
      : s.status === 'waiting_for_opponent' ? ['Cancel table', 'Closes the table: the invite code stops working.']
        : playing ? ['Leave match', 'Leaving forfeits the match.']
          : ['Back to the lobby', 'You leave the table; no rematch after that.'];
    $('leave').hidden = client.confirmLeave;
    $('leave').textContent = leave[0];
    $('leave-hint').textContent = client.confirmLeave ? '' : leave[1];
    $('confirm-leave').hidden = !client.confirmLeave;
    $('confirm-leave-text').textContent = seated && playing ? 'Leave? You forfeit the match: ' + nameOf(1 - me) + ' wins it.' : '';
    $('chat').hidden = s.status === 'waiting_for_opponent';
    $('chat-form').hidden = !seated;
  }

  // ---- what the player does ----
  function leaveTable(note) {
    client.left = client.state ? client.state.gameId : null;
    client.state = null;
    client.watching = null;
    client.moves = [];
    client.selected = null;
    client.confirmLeave = false;
    client.note = note;
    refusal('');
    render();
  }
  function watchGame(gameId) {
    client.watching = gameId;
    client.left = null;
    send('spectate', { gameId });
  }
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
  function undo() { if (client.moves.length) { client.moves.pop(); client.selected = null; render(); } }
  function sendPlay() {
    const done = openPlays().find((o) => o.left.length === 0);
    if (done && !$('send').disabled) { $('send').disabled = true; send('play', { moves: done.play.moves }); }
  }
  $('undo').addEventListener('click', undo);
  $('send').addEventListener('click', sendPlay);
  document.addEventListener('keydown', (e) => {
    if (e.target.closest && e.target.closest('input, select, textarea, button')) return;
    if (e.key === 'Enter' && !$('send').hidden) { e.preventDefault(); sendPlay(); }
    if (e.key === 'Escape' && !$('undo').hidden) { e.preventDefault(); undo(); }
  });
  // a button that sends stays disabled until the server's next state or error is shown (a double click sends once)
  $('roll').addEventListener('click', () => { $('roll').disabled = true; send('roll'); });
  for (const [id, type] of [['double', 'double'], ['take', 'take'], ['drop', 'drop'], ['beaver', 'beaver'], ['accept', 'accept_resignation'],
    ['decline', 'decline_resignation'], ['rematch', 'rematch']]) $(id).addEventListener('click', () => send(type));
  $('resign').addEventListener('click', () => send('resign', { level: $('resign-level').value }));
  $('leave').addEventListener('click', () => {
    const s = client.state;
    if (!s) return;
    if (mySeat() === null) { send('leave'); leaveTable(''); return; }
    if (s.status === 'playing') { client.confirmLeave = true; render(); return; }
    send('leave');
    leaveTable(s.status === 'waiting_for_opponent' ? 'Table closed: its invite code no longer works.' : '');
  });
  $('confirm-leave-yes').addEventListener('click', () => {
    const other = nameOf(1 - mySeat());
    send('leave');
    leaveTable('You left the match: ' + other + ' wins it.');
  });
  $('confirm-leave-no').addEventListener('click', () => { client.confirmLeave = false; render(); });
  $('create-form').addEventListener('submit', (e) => {
    e.preventDefault();
    client.left = null;
    client.note = '';
    send('create', { matchLength: Number($('create-length').value), cube: $('create-cube').checked, private: $('create-private').checked });
  });
  $('join-form').addEventListener('submit', (e) => { e.preventDefault(); client.left = null; client.note = ''; send('join', { code: $('join-code').value.trim() }); });
  $('quick-form').addEventListener('submit', (e) => { e.preventDefault(); client.left = null; client.note = ''; send('quick_match', { matchLength: Number($('quick-length').value) }); });
  $('leave-queue').addEventListener('click', () => { send('leave_queue'); client.queued = null; render(); });
  $('spectate-form').addEventListener('submit', (e) => { e.preventDefault(); client.note = ''; watchGame($('spectate-id').value.trim()); });
  $('chat-form').addEventListener('submit', (e) => { e.preventDefault(); const text = $('chat-text').value.trim(); if (text) { send('chat', { text }); $('chat-text').value = ''; } });

  connect();
})();
