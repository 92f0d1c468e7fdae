// Opens wss://ws.<this site>/ws as the game page does and says what came of it. A refused upgrade
// (401 without the session cookie, 403 from a foreign page) is not visible to a page: only the close.
'use strict';
(() => {
  const result = document.getElementById('result');
  const show = (state, text) => { result.dataset.state = state; result.textContent = text; };
  const socket = new WebSocket('wss://ws.' + location.hostname + '/ws');
  socket.onmessage = (e) => {
    const message = JSON.parse(e.data);
    if (message.type === 'welcome') {
      result.dataset.user = message.user.id;
      show('welcome', 'Connected: the game server knows you as ' + message.user.name + '.');
      socket.close(1000, 'checked');
    }
  };
  socket.onclose = (e) => {
    if (result.dataset.state !== 'welcome') show('refused', 'The game server did not accept the connection (close ' + e.code + ').');
  };
})();
