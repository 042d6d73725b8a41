// The Redis Starter console: reads the JSON under api/ and renders it. Every value from the server goes into the
// page as text (textContent, text nodes, attributes set one by one), never as HTML, so a payload holding markup or
// a <script> shows as the characters it is.
(function () {
  'use strict';

  var POLL_MILLIS = 2000;
  var TABS = ['overview', 'queues', 'streams', 'meters', 'server'];
  var state = { tab: 'overview', overview: null, rendered: {}, lists: {}, server: null, serverLoading: false, history: {} };

  // --- DOM helpers: text only ---
  function el(tag, attributes) {
    var node = document.createElement(tag);
    if (attributes) {
      Object.keys(attributes).forEach(function (name) {
        var value = attributes[name];
        if (value === null || value === undefined || value === false) { return; }
        if (name === 'className') { node.className = value; }
        else if (name === 'onclick') { node.addEventListener('click', value); }
        else { node.setAttribute(name, String(value)); }
      });
    }
    for (var i = 2; i < arguments.length; i++) { append(node, arguments[i]); }
    return node;
  }
  function append(node, child) {
    if (child === null || child === undefined || child === false) { return; }
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  function table(headers, rows, className) {
    return el('table', { className: className },
      el('thead', null, el('tr', null, headers.map(function (h) { return el('th', null, h); }))),
      el('tbody', null, rows));
  }
  function td(value, className) { return el('td', { className: className }, value === null || value === undefined ? '' : value); }
  function num(value) { return td(value === null || value === undefined ? '\u2014' : formatNumber(value), 'num'); }
  function formatNumber(value) { return typeof value === 'number' ? value.toLocaleString('en') : String(value); }
  function bytes(value) {
    if (value === null || value === undefined) { return '\u2014'; }
    var units = ['B', 'KiB', 'MiB', 'GiB'];
    var i = 0;
    while (value >= 1024 && i < units.length - 1) { value /= 1024; i++; }
    return (i === 0 ? value : value.toFixed(1)) + ' ' + units[i];
  }
  function millis(value) {
    if (value === null || value === undefined) { return '\u2014'; }
    if (value < 1000) { return value + ' ms'; }
    if (value < 120000) { return (value / 1000).toFixed(1) + ' s'; }
    return Math.round(value / 60000) + ' min';
  }
  function card(label, value, id) {
    return el('div', { className: 'card' }, el('div', { className: 'label' }, label),
      el('div', { className: 'value', id: id }, value === null || value === undefined ? '\u2014' : value));
  }
  function page(name) { return document.getElementById('page-' + name); }
  function fill(container) {
    container.replaceChildren();
    for (var i = 1; i < arguments.length; i++) { append(container, arguments[i]); }
  }
  function say(text, isError) {
    var message = document.getElementById('message');
    message.textContent = text;
    message.className = isError ? 'error' : '';
  }

  // --- HTTP ---
  function getJson(path) {
    return fetch('api/' + path, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) { throw new Error(body.error || ('HTTP ' + response.status)); }
          return body;
        });
      });
  }
  function send(method, path, done) {
    var headers = { Accept: 'application/json', 'X-Requested-With': 'redis-starter-console' };
    var csrf = state.overview && state.overview.csrf;
    if (csrf && csrf.headerName) { headers[csrf.headerName] = csrf.token; }
    fetch('api/' + path, { method: method, credentials: 'same-origin', headers: headers })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) { throw new Error(body.error || ('HTTP ' + response.status)); }
          say(done, false);
          state.rendered = {};
          refresh(false);
        });
      })
      .catch(function (error) { say(error.message, true); });
  }
  function writable() { return !!(state.overview && state.overview.writeEnabled); }
  function enc(value) { return encodeURIComponent(value); }

  // --- Overview ---
  function renderStatus(overview) {
    var circuit = document.getElementById('circuit-state');
    circuit.textContent = overview.circuit.state;
    circuit.className = 'badge ' + overview.circuit.state;
    var mode = document.getElementById('write-mode');
    mode.textContent = overview.writeEnabled ? 'writes enabled' : 'read-only';
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString('en-GB');
  }
  function renderOverview(overview) {
    var c = overview.circuit;
    var nodes = overview.server.map(function (node) {
      if (node.error) { return el('div', { className: 'node' }, el('h3', null, node.node), el('p', { className: 'error' }, node.error)); }
      var lookups = (node.keyspaceHits || 0) + (node.keyspaceMisses || 0);
      return el('div', { className: 'node', 'data-node': node.node },
        el('h3', null, 'Server ', node.node),
        el('div', { className: 'cards' },
          card('version', node.version), card('memory used', bytes(node.usedMemory)),
          card('memory peak', bytes(node.usedMemoryPeak)),
          card('maxmemory', node.maxmemory ? bytes(node.maxmemory) : 'no limit'),
          card('maxmemory-policy', node.maxmemoryPolicy), card('clients', formatNumber(node.connectedClients)),
          card('ops/s', formatNumber(node.opsPerSecond)), card('keys', formatNumber(node.keys)),
          card('keyspace hits', formatNumber(node.keyspaceHits)), card('keyspace misses', formatNumber(node.keyspaceMisses)),
          card('hit ratio', lookups ? (100 * node.keyspaceHits / lookups).toFixed(1) + ' %' : '\u2014')));
    });
    fill(page('overview'),
      el('h2', null, 'Circuit'),
      el('div', { className: 'cards' },
        card('state', el('span', { className: 'badge ' + c.state, id: 'overview-circuit' }, c.state)),
        card('openings', formatNumber(c.openings)),
        card('failure', c.failure), card('last failure', c.lastFailure)),
      el('h2', null, 'Health'),
      Object.keys(overview.health).length ? el('div', { className: 'cards', id: 'health' }, Object.keys(overview.health).map(function (name) {
        var status = overview.health[name];
        return card(name, el('span', { className: 'badge ' + status.toLowerCase(), 'data-component': name }, status));
      })) : el('p', { className: 'muted' }, 'No health components.'),
      el('p', { className: 'muted' }, 'Job queues: ', overview.capabilities.queues ? 'on' : 'off', '. Streams: ',
        overview.capabilities.streams ? 'on' : 'off', '.'),
      overview.server.length ? nodes : el('p', { className: 'muted' }, 'The server is not read while the circuit is open.'));
  }

  // --- Queues ---
  function jobRows(queue, jobs) {
    return jobs.map(function (job) {
      var actions = [];
      if (writable() && job.state === 'dead') {
        actions.push(el('button', { type: 'button', className: 'action retry', 'data-job-id': job.id,
          onclick: function () { send('POST', 'queues/' + enc(queue) + '/jobs/' + enc(job.id) + '/retry', 'Job ' + job.id + ' sent back to waiting'); } }, 'Retry'));
        actions.push(el('button', { type: 'button', className: 'action delete', 'data-job-id': job.id,
          onclick: function () {
            if (window.confirm('Delete dead job ' + job.id + '?')) {
              send('DELETE', 'queues/' + enc(queue) + '/jobs/' + enc(job.id), 'Job ' + job.id + ' deleted');
            }
          } }, 'Delete'));
      }
      if (writable() && job.state === 'delayed') {
        actions.push(el('button', { type: 'button', className: 'action promote', 'data-job-id': job.id,
          onclick: function () { send('POST', 'queues/' + enc(queue) + '/jobs/' + enc(job.id) + '/promote', 'Job ' + job.id + ' waits to run now'); } }, 'Run now'));
      }
      return el('tr', { className: 'job', 'data-job-id': job.id, 'data-state': job.state },
        td(job.id), td(job.state), num(job.attempts), td(job.errorType ? job.errorType + ': ' + (job.errorMessage || '') : ''),
        td(job.payload, 'payload'), td(job.finishedAt || job.runAt || job.createdAt), el('td', null, actions));
    });
  }
  function renderQueues(body) {
    var sections = body.queues.map(function (queue) {
      var selected = state.lists[queue.name];
      var states = ['waiting', 'delayed', 'active', 'completed', 'dead'];
      var header = el('h2', null, 'Queue ', queue.name, ' ',
        queue.pausedForMillis ? el('span', { className: 'badge open' }, 'paused ' + millis(queue.pausedForMillis)) : null,
        queue.unhandled ? el('span', { className: 'badge open' }, 'unhandled') : null);
      var counts = table(states, el('tr', null, states.map(function (name) {
        return el('td', { className: 'num count-' + name },
          el('button', { type: 'button', className: 'action show' + (selected === name ? ' selected' : ''), 'data-state': name,
            title: selected === name ? 'back to the dead letters' : 'list the ' + name + ' jobs',
            onclick: function () {
              if (state.lists[queue.name] === name) { delete state.lists[queue.name]; }
              else { state.lists[queue.name] = name; }
              state.rendered = {};
              refresh(false);
            } },
          formatNumber(queue[name])));
      })), 'counts');
      var workers = queue.workers.length ? table(['handler', 'concurrency', 'state', 'held', 'circuit', 'openings', 'circuit error'],
        queue.workers.map(function (w) {
          return el('tr', null, td(w.handler), num(w.concurrency), td(w.state), num(w.held), td(w.circuit),
            num(w.circuitOpenings), td(w.circuitError));
        })) : el('p', { className: 'muted' }, 'No workers in this instance.');
      var instances = (queue.instances || []).length ? table(['instance', 'handler', 'concurrency', 'state', 'held', 'circuit', 'checked in at'],
        queue.instances.map(function (w) {
          return el('tr', null, td(w.instance, 'payload'), td(w.handler), num(w.concurrency), td(w.state), num(w.held),
            td(w.circuit), td(w.checkedInAt));
        }), 'instances') : el('p', { className: 'muted' }, 'No worker on any instance checked in lately.');
      var list = selected && state.jobLists && state.jobLists[queue.name];
      var jobs = list ? list.jobs : queue.deadLetters;
      var title = list ? (list.state + ' jobs (' + jobs.length + ' of ' + formatNumber(list.total) + ')') : 'Dead letters (most recent)';
      var pause = writable() ? el('button', { type: 'button', className: 'action pause',
        onclick: function () { send('POST', 'queues/' + enc(queue.name) + '/pause?seconds=60', 'Queue ' + queue.name + ' paused for 60 s'); } },
      'Pause 60 s') : null;
      var resume = (writable() && queue.pausedForMillis) ? el('button', { type: 'button', className: 'action resume',
        onclick: function () { send('POST', 'queues/' + enc(queue.name) + '/resume', 'Queue ' + queue.name + ' resumed'); } },
      'Resume') : null;
      var purge = (writable() && queue.dead) ? el('button', { type: 'button', className: 'action purge',
        onclick: function () {
          if (window.confirm('Delete all ' + queue.dead + ' dead jobs of queue ' + queue.name + '?')) {
            send('POST', 'queues/' + enc(queue.name) + '/dead-letters/purge', 'Dead jobs of ' + queue.name + ' deleted');
          }
        } }, 'Delete all dead') : null;
      return el('section', { className: 'queue', 'data-queue': queue.name }, header,
        queue.error ? el('p', { className: 'error' }, queue.error) : null, counts,
        el('div', { className: 'spark-line' }, el('span', { className: 'spark' }),
          el('span', { className: 'muted' }, ' completed (green) and dead (red) per poll, this page\'s last ' + HISTORY + ' polls')),
        pause, resume, purge,
        el('h3', null, 'Workers on every instance'), instances, el('h3', null, 'Workers in this instance'), workers,
        el('h3', null, title),
        jobs.length ? table(['id', 'state', 'attempts', 'error', 'payload', 'at', ''], jobRows(queue.name, jobs), 'jobs')
          : el('p', { className: 'muted' }, 'None.'));
    });
    fill(page('queues'), sections.length ? sections : el('p', { className: 'muted' }, 'No queues.'));
  }
  function loadQueues() {
    return getJson('queues').then(function (body) {
      var names = Object.keys(state.lists);
      return Promise.all(names.map(function (name) {
        return getJson('queues/' + enc(name) + '/jobs?state=' + enc(state.lists[name]))
          .then(function (list) { return [name, list]; }, function () { return [name, null]; });
      })).then(function (lists) {
        state.jobLists = {};
        lists.forEach(function (pair) { if (pair[1]) { state.jobLists[pair[0]] = pair[1]; } });
        return { queues: body.queues, lists: state.jobLists };
      });
    });
  }

  // Throughput and failures: the rise of the completed and dead counts between polls, kept by this page only.
  var HISTORY = 60;
  var SVG = 'http://www.w3.org/2000/svg';
  function remember(queues) {
    queues.forEach(function (queue) {
      if (queue.completed === null || queue.dead === null) { return; }
      var points = state.history[queue.name] || (state.history[queue.name] = []);
      points.push({ completed: queue.completed, dead: queue.dead });
      if (points.length > HISTORY + 1) { points.shift(); }
    });
  }
  function polyline(values, max, color) {
    var line = document.createElementNS(SVG, 'polyline');
    var step = 240 / HISTORY;
    line.setAttribute('points', values.map(function (value, i) {
      return (i * step).toFixed(1) + ',' + (34 - 32 * value / max).toFixed(1);
    }).join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', color);
    line.setAttribute('stroke-width', '1.5');
    return line;
  }
  function drawSparklines() {
    Object.keys(state.history).forEach(function (name) {
      var holder = document.querySelector('section.queue[data-queue="' + CSS.escape(name) + '"] .spark');
      var points = state.history[name];
      if (!holder || points.length < 2) { return; }
      var completed = [];
      var dead = [];
      for (var i = 1; i < points.length; i++) {
        completed.push(Math.max(0, points[i].completed - points[i - 1].completed));
        dead.push(Math.max(0, points[i].dead - points[i - 1].dead));
      }
      var max = Math.max(1, Math.max.apply(null, completed.concat(dead)));
      var svg = document.createElementNS(SVG, 'svg');
      svg.setAttribute('width', '240');
      svg.setAttribute('height', '36');
      svg.setAttribute('class', 'sparkline');
      svg.appendChild(polyline(completed, max, '#1f7a3d'));
      svg.appendChild(polyline(dead, max, '#b42318'));
      holder.replaceChildren(svg);
    });
  }

  // --- Streams ---
  function renderStreams(body) {
    var sections = body.streams.map(function (stream) {
      var groups = table(['group', 'pending', 'lag', 'oldest pending', 'consumers'], stream.groups.map(function (g) {
        return el('tr', null, td(g.name), num(g.pending), num(g.lag), td(millis(g.oldestPendingAgeMillis)),
          td(g.consumers.map(function (c) { return c.name + ' (' + c.pending + ' pending, idle ' + millis(c.idleMillis) + ')'; }).join(', ')));
      }), 'groups');
      var letters = stream.deadLetters.map(function (letter) {
        var replay = writable() ? el('button', { type: 'button', className: 'action replay', 'data-id': letter.id,
          onclick: function () { send('POST', 'streams/' + enc(stream.name) + '/dead-letters/' + enc(letter.id) + '/replay', 'Dead letter ' + letter.id + ' replayed'); } },
        'Replay') : null;
        return el('tr', { className: 'dead-letter', 'data-id': letter.id }, td(letter.id), td(letter.originalId), td(letter.group),
          num(letter.deliveries), td(letter.error + ': ' + letter.message), td(letter.payload, 'payload'), td(letter.failedAt),
          el('td', null, replay));
      });
      return el('section', { className: 'stream', 'data-stream': stream.name },
        el('h2', null, 'Stream ', stream.name),
        el('p', null, formatNumber(stream.length), ' entries, ', el('span', { className: 'dead-count' }, formatNumber(stream.deadLetterCount)),
          ' dead letters. Key ', el('code', null, stream.key)),
        groups, el('h3', null, 'Dead letters'),
        letters.length ? table(['id', 'original id', 'group', 'deliveries', 'error', 'payload', 'failed at', ''], letters, 'dead-letters')
          : el('p', { className: 'muted' }, 'None.'));
    });
    fill(page('streams'), sections.length ? sections : el('p', { className: 'muted' }, 'No streams.'));
  }

  // --- Caches, limits, locks, sessions ---
  function renderMeters(body) {
    var parts = [];
    if (!body.metersPresent) { parts.push(el('p', { className: 'muted' }, 'No MeterRegistry: nothing is measured.')); }
    var caches = Object.keys(body.caches);
    parts.push(el('h2', null, 'Cache hit ratio'));
    parts.push(caches.length ? table(['cache', 'hits', 'misses', 'hit ratio'], caches.map(function (name) {
      var c = body.caches[name];
      return el('tr', null, td(name), num(c.hits), num(c.misses), td(c.hitRatio === null ? '\u2014' : (100 * c.hitRatio).toFixed(1) + ' %'));
    })) : el('p', { className: 'muted' }, 'No lookups yet.'));
    var titles = { caches: 'Caches', limits: 'Rate limits', locks: 'Locks', sessions: 'Sessions' };
    Object.keys(body.groups).forEach(function (group) {
      var rows = body.groups[group];
      parts.push(el('h2', null, titles[group] || group));
      parts.push(rows.length ? table(['meter', 'tags', 'count', 'total time'], rows.map(function (row) {
        var tags = Object.keys(row.tags).map(function (k) { return k + '=' + row.tags[k]; }).join(' ');
        return el('tr', null, td(row.meter), td(tags), num(Math.round(row.count * 100) / 100),
          td(row.totalMillis === null ? '' : millis(Math.round(row.totalMillis))));
      }), 'meters ' + group) : el('p', { className: 'muted' }, 'Nothing measured yet.'));
    });
    fill(document.getElementById('meters'), parts);
  }

  // --- Locks held and sessions (on demand: a bounded scan of each node, not every poll) ---
  function renderLocks(body) {
    var again = el('button', { type: 'button', className: 'action', id: 'locks-again',
      onclick: function () { loadLocks(); } }, 'Scan again');
    var rows = body.locks.map(function (l) {
      return el('tr', { className: 'held-lock', 'data-lock': l.name }, td(l.name, 'payload'), td(l.kind), td(l.owner, 'payload'),
        td(l.fencingToken), td(l.millisLeft < 0 ? 'none' : millis(l.millisLeft)), num(l.waiters), td(l.node));
    });
    fill(document.getElementById('held'),
      el('h2', null, 'Locks held now'),
      el('p', { className: 'muted' }, 'A scan of each node for the starter\'s lock keys, at most ',
        formatNumber(body.timeBudgetMillis), ' ms per node',
        body.locksComplete ? ' (complete). ' : ' (stopped before the end: more may be held). ', again),
      rows.length ? table(['lock', 'kind', 'owner (instance:acquisition)', 'fencing token', 'time left', 'waiters', 'node'], rows, 'held-locks')
        : el('p', { className: 'muted' }, 'None held.'),
      el('h2', null, 'Sessions'),
      el('p', { id: 'session-count' }, formatNumber(body.sessions),
        body.sessionsComplete ? ' sessions alive.' : ' sessions at least (the scan stopped at its time budget).'),
      body.errors.length ? el('p', { className: 'error' }, body.errors.join('; ')) : null);
  }
  function loadLocks() {
    return getJson('locks').then(renderLocks).catch(function (error) { say(error.message, true); });
  }

  // --- Server insight (on demand: a sample costs up to its time budget per node) ---
  function groupRows(groups) {
    return Object.keys(groups).map(function (name) {
      return el('tr', null, td(name), num(groups[name].keys), td(bytes(groups[name].bytes)));
    });
  }
  function renderServer(body) {
    var again = el('button', { type: 'button', className: 'action', id: 'sample-again',
      onclick: function () { loadServer(); } }, 'Sample again');
    var nodes = body.nodes.map(function (node) {
      if (node.error) { return el('section', { className: 'node' }, el('h2', null, node.node), el('p', { className: 'error' }, node.error)); }
      var s = node.sample;
      return el('section', { className: 'node', 'data-node': node.node },
        el('h2', null, 'Node ', node.node),
        el('p', { className: 'sample-summary' }, formatNumber(s.sampled), ' keys sampled in ', millis(s.elapsedMillis),
          ', stopped by ', el('strong', { className: 'stopped-by' }, s.stoppedBy), '.',
          s.refused ? ' ' + formatNumber(s.refused) + ' keys left out: the Redis user may not read them.' : null),
        el('h3', null, 'Biggest keys in the sample'),
        table(['key', 'type', 'memory', 'TTL'], s.biggest.map(function (k) {
          return el('tr', null, td(k.key, 'payload'), td(k.type), td(bytes(k.bytes)), td(k.ttlMillis < 0 ? 'none' : millis(k.ttlMillis)));
        }), 'biggest'),
        el('h3', null, 'Memory by the starter\'s capabilities (prefix ', el('code', null, body.starterPrefix), ')'),
        table(['capability', 'keys', 'memory'], groupRows(s.byCapability)),
        el('h3', null, 'Memory by key prefix'),
        table(['prefix', 'keys', 'memory'], groupRows(s.byPrefix)),
        el('h3', null, 'Keys without a TTL under the starter\'s prefix: ', formatNumber(s.withoutTtl)),
        el('p', { className: 'muted' }, 'Only leaderboards, streams and job queues\' own sets are kept without a TTL by design.'),
        s.withoutTtlKeys.length ? el('ul', null, s.withoutTtlKeys.map(function (k) { return el('li', null, el('code', null, k)); })) : null,
        el('h3', null, 'SLOWLOG'),
        node.slowlogError ? el('p', { className: 'error' }, node.slowlogError) : null,
        node.slowlog.length ? table(['id', 'at', 'time', 'command', 'client'], node.slowlog.map(function (e) {
          return el('tr', null, num(e.id), td(e.at), td(e.micros + ' \u00b5s'), td(e.command.join(' '), 'payload'), td(e.client));
        }), 'slowlog') : el('p', { className: 'muted' }, 'Empty.'));
    });
    fill(page('server'),
      el('p', { id: 'sample-bounds' }, 'Sampled with SCAN and MEMORY USAGE: at most ', formatNumber(body.sampleSize),
        ' keys or ', millis(body.sampleTimeBudgetMillis), ' per node, whichever comes first. Never KEYS. ', again),
      nodes);
  }
  function loadServer() {
    if (state.serverLoading) { return; }
    state.serverLoading = true;
    getJson('server').then(function (body) { state.server = body; renderServer(body); say('', false); },
      function (error) { say(error.message, true); })
      .then(function () { state.serverLoading = false; });
  }

  // --- Polling ---
  function renderIfChanged(tab, body, render) {
    var json = JSON.stringify(body) + '|' + writable();
    if (state.rendered[tab] !== json) {
      state.rendered[tab] = json;
      render(body);
    }
  }
  var pending = null;
  function refresh(schedule) {
    var work = getJson('overview').then(function (overview) {
      state.overview = overview;
      renderStatus(overview);
      if (state.tab === 'overview') { renderIfChanged('overview', overview, renderOverview); return null; }
      if (state.tab === 'queues') {
        return loadQueues().then(function (body) { remember(body.queues); renderIfChanged('queues', body, renderQueues); drawSparklines(); });
      }
      if (state.tab === 'streams') { return getJson('streams').then(function (body) { renderIfChanged('streams', body, renderStreams); }); }
      if (state.tab === 'meters') { return getJson('meters').then(function (body) { renderIfChanged('meters', body, renderMeters); }); }
      return null;
    }).catch(function (error) { say(error.message, true); });
    if (schedule) {
      work.then(function () { pending = window.setTimeout(function () { refresh(true); }, POLL_MILLIS); });
    }
    return work;
  }
  function show(tab) {
    state.tab = tab;
    TABS.forEach(function (name) {
      page(name).hidden = name !== tab;
      document.getElementById('tab-' + name).className = name === tab ? 'active' : '';
    });
    if (tab === 'server') { loadServer(); }
    if (tab === 'meters') { loadLocks(); }
    refresh(false);
    if (window.location.hash !== '#' + tab) { window.history.replaceState(null, '', '#' + tab); }
  }
  document.addEventListener('DOMContentLoaded', function () {
    TABS.forEach(function (name) {
      document.getElementById('tab-' + name).addEventListener('click', function () { show(name); });
    });
    var initial = window.location.hash.replace('#', '');
    state.tab = TABS.indexOf(initial) >= 0 ? initial : 'overview';
    show(state.tab);
    pending = window.setTimeout(function () { refresh(true); }, POLL_MILLIS);
  });
}());
