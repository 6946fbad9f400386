// perftrack HTML report: sorting and filtering of the flagged-changes table, series search,
// collapsible suites, lazily drawn SVG trend charts with tooltips, the params pivot table, and
// the metric selector of the variant tables.
//
// Safety: every piece of report data (benchmark names, params, commit subjects) reaches the DOM
// through textContent, createTextNode or setAttribute on non-event attributes; links only ever
// get http(s) URLs. No innerHTML, no eval, no network. The page's CSP allows this script by hash.
//
// URL fragment (for links people share, for printing, and for the browser tests, since
// `chromium --dump-dom` cannot click): "#sort=change&dir=desc&filter=text&status=regression&
// q=search+terms&draw=all". sort/dir/filter/status act on the flagged-changes table, q on the
// series search, draw=all opens every suite and draws every chart that is not filtered out,
// point=12:40 scrolls to series 12 and pins the tooltip of its point at commit position 40
// (point=SHA pins that commit's point when the page has one series, as the dashboard's has),
// variants=METRIC shows that metric's variant table. A plain "#s-12" opens that series' suite
// and scrolls to it; "#variants-METRIC" selects and scrolls to that variant table.
(function () {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var dataElement = document.getElementById('report-data');
  var data = JSON.parse(dataElement.textContent);
  var commits = data.commits;
  var partialCommits = {};
  commits.partial.forEach(function (i) { partialCommits[i] = true; });

  // ---- formatting (mirrors core/display.cpp: the same rule for every number) -----------------
  function fmtNum(v, sig) {
    if (sig === undefined) sig = 3;
    if (isNaN(v)) return 'n/a';
    if (!isFinite(v)) return v > 0 ? 'inf' : '-inf';
    if (v === 0) return '0';
    var decimalsFor = function (x) {
      return Math.max(0, sig - 1 - Math.floor(Math.log10(Math.abs(x))));
    };
    var d = decimalsFor(v);
    var rounded = Number(v.toFixed(d));
    if (rounded !== 0) d = Math.min(d, decimalsFor(rounded));
    var text = v.toFixed(Math.min(d, 100));
    if (text.charAt(0) === '-' && /^-[0.]*$/.test(text)) text = text.slice(1);
    return text;
  }
  function fmtScaled(v, scale, sig) {
      if (isNaN(v)) return 'n/a';
      var n = fmtNum(v / scale.div, sig);
      if (!scale.unit) return n;
      if (scale.unit === '%') return n + '%';
      return n + ' ' + scale.unit;
  }
  function fmtPct(fraction) {
      if (fraction === null || isNaN(fraction)) return 'n/a';
      if (!isFinite(fraction)) return fraction > 0 ? '+inf%' : '-inf%';
      var pct = fraction * 100;
      var text;
      if (pct !== 0 && Math.abs(pct) < 0.05) {
          text = fmtNum(pct, 2);
      } else {
          text = pct.toFixed(Math.abs(pct) >= 99.95 ? 0 : 1);
          if (/^-?[0.]*$/.test(text)) return Math.abs(pct) >= 99.95 ? '0%' : '0.0%';
      }
    return (text.charAt(0) === '-' ? '' : '+') + text + '%';
  }
  function fmtProb(p) {
      if (p === null || !isFinite(p)) return 'n/a';
      if (p < 1e-4) return '<0.0001';
      return p.toFixed(p >= 0.01 ? 3 : 4);
  }
  function fmtTime(unixSeconds) {
    // Always UTC: the page reads the same on every reader's machine.
    var iso = new Date(unixSeconds * 1000).toISOString();
    return iso.slice(0, 10) + ' ' + iso.slice(11, 16) + ' UTC';
  }
  function shortSha(sha) { return sha.slice(0, 12); }
  function commitHref(sha) {
    var t = data.commitUrl;
    // http(s), or a path on the same site (the dashboard's links); never "//host" or "/\\host".
    if (!t || !(/^https?:\/\//.test(t) || /^\/[^\/\\]/.test(t))) return null;
    return t.split('{sha}').join(encodeURIComponent(sha));
  }
  function paramsText(params) {
    return Object.keys(params).sort().map(function (k) {
      var v = params[k];
      return k + '=' + (typeof v === 'string' ? v : JSON.stringify(v));
    }).join(', ');
  }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function svg(tag, attrs, parent) {
    var e = document.createElementNS(SVG_NS, tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(e);
    return e;
  }

  // ---- compact series data (see reports/render/chart_data.hpp) -------------------------------
  function varints(text) {
    var bin = atob(text);
    var out = [];
    var value = 0;
    var mult = 1;
    for (var i = 0; i < bin.length; i++) {
      var b = bin.charCodeAt(i);
      value += (b & 127) * mult;
      if (b & 128) { mult *= 128; continue; }
      out.push(value % 2 === 1 ? -(value + 1) / 2 : value / 2);
      value = 0;
      mult = 1;
    }
    return out;
  }
  function cumulative(values) {
    var acc = 0;
    return values.map(function (d) { acc += d; return acc; });
  }
  var decoded = {};
  function decodeSeries(i) {
    if (decoded[i]) return decoded[i];
    var s = data.series[i];
    var step = Math.pow(10, s.qe);
    var pos = [];
    var stretches = varints(s.at);  // without, with, without, with, ... (run lengths)
    for (var r = 0, n = 0; r < stretches.length; r++) {
      if (r % 2 === 0) { n += stretches[r]; continue; }
      for (var c = 0; c < stretches[r]; c++) pos.push(n++);
    }
    var med = cumulative(varints(s.med));
    var lo = varints(s.lo);
    var hi = varints(s.hi);
    var bandAt = varints(s.bandAt);
    var bandMed = cumulative(varints(s.bandMed));
    var bandLo = varints(s.bandLo);
    var bandHi = varints(s.bandHi);
    var points = [];
    var k = 0;      // index into the band arrays
    var seg = 0;    // index into bandAt
    var left = bandAt.length ? bandAt[0] : pos.length;
    for (var j = 0; j < pos.length; j++) {
      while (left === 0 && seg + 1 < bandAt.length) { seg++; left = bandAt[seg]; }
      var hasBand = seg % 2 === 1;
      left--;
      var p = {
        pos: pos[j], median: med[j] * step, min: (med[j] - lo[j]) * step,
        max: (med[j] + hi[j]) * step, band: null
      };
      if (hasBand) {
        p.band = { median: bandMed[k] * step, low: (bandMed[k] - bandLo[k]) * step,
                   high: (bandMed[k] + bandHi[k]) * step };
        k++;
      }
      points.push(p);
    }
    decoded[i] = points;
    return points;
  }

  // ---- tooltip ---------------------------------------------------------------------------------
  var tooltip = document.getElementById('tooltip');
  var pinned = false;
  function hideTooltip() {
    tooltip.hidden = true;
    tooltip.classList.remove('pinned');
    pinned = false;
  }
  function showTooltip(lines, pageX, pageY, pin) {
    tooltip.textContent = '';
    lines.forEach(function (line) { tooltip.appendChild(line); });
    tooltip.hidden = false;
    pinned = !!pin;
    tooltip.classList.toggle('pinned', pinned);
    var width = tooltip.offsetWidth;
    var x = pageX + 14;
    if (x + width > window.scrollX + document.documentElement.clientWidth - 8) x = pageX - width - 14;
    tooltip.style.left = Math.max(4, x) + 'px';
    tooltip.style.top = (pageY + 14) + 'px';
  }
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') hideTooltip(); });
  document.addEventListener('click', function (e) {
    if (pinned && !tooltip.contains(e.target) && !(e.target.closest && e.target.closest('.overlay'))) {
      hideTooltip();
    }
  });

  function pointLines(s, p) {
    var sha = commits.sha[p.pos];
    var lines = [];
    var head = el('span', 'tt-row');
    head.appendChild(el('span', 'tt-sha', shortSha(sha)));
    head.appendChild(document.createTextNode(' \u00b7 ' + fmtTime(commits.time[p.pos]) +
      (partialCommits[p.pos] ? ' \u00b7 partial run' : '') +
      (commits.runs[p.pos] > 1 ? ' \u00b7 ' + commits.runs[p.pos] + ' runs' : '')));
    lines.push(head);
    if (commits.subject[p.pos]) lines.push(el('span', 'tt-subject', commits.subject[p.pos]));
    var bare = function (v) { return fmtNum(v / s.scale.div); };
    lines.push(el('span', 'tt-row', 'median ' + fmtScaled(p.median, s.scale) + ' \u00b7 min\u2013max ' +
      bare(p.min) + '\u2013' + bare(p.max)));
    if (p.band) {
      lines.push(el('span', 'tt-row', 'baseline ' + fmtScaled(p.band.median, s.scale) +
        ' \u00b7 band ' + bare(p.band.low) + '\u2013' + bare(p.band.high)));
    }
    s.cps.forEach(function (cp) {
      if (cp[0] === p.pos) lines.push(el('span', 'tt-row', 'change point: ' + fmtPct(cp[1])));
    });
    var href = commitHref(sha);
    if (href) {
      var a = el('a', null, 'open commit ' + shortSha(sha) + ' \u2197');
      a.setAttribute('href', href);
      a.setAttribute('rel', 'noopener noreferrer');
      a.setAttribute('target', '_blank');
      lines.push(a);
    } else {
      lines.push(el('span', 'tt-row tt-sha', sha));
    }
    return lines;
  }

  // ---- charts ----------------------------------------------------------------------------------
  var W = 600, H = 210, ML = 58, MR = 12, MT = 24, MB = 36;
  function niceTicks(lo, hi, count) {
    var range = hi - lo;
    var raw = range / count;
    var mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var norm = raw / mag;
    var step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    var ticks = [];
    for (var t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(t);
    return { ticks: ticks, step: step };
  }
  function isWorse(change, dir) { return dir === 'lower' ? change > 0 : change < 0; }

  function drawChart(i) {
    var container = document.querySelector('.chart[data-i="' + i + '"]');
    if (!container || container.getAttribute('data-drawn') === '1') return;
    container.setAttribute('data-drawn', '1');
    container.textContent = '';
    var s = data.series[i];
    var pts = decodeSeries(i);
    if (pts.length === 0) {
      container.appendChild(el('p', 'chart-placeholder', 'No values.'));
      return;
    }
    // The x axis spans the series' own commits (a benchmark added late does not sit in the
    // right corner of an empty chart); positions stay the branch's, so sha and time agree.
    var first = pts[0].pos, last = pts[pts.length - 1].pos;
    var span = last - first;
    var x = function (position) {
      return span <= 0 ? ML + (W - ML - MR) / 2 : ML + (W - ML - MR) * (position - first) / span;
    };
    var lo = Infinity, hi = -Infinity;
    pts.forEach(function (p) {
      lo = Math.min(lo, p.min); hi = Math.max(hi, p.max);
      if (p.band) { lo = Math.min(lo, p.band.low); hi = Math.max(hi, p.band.high); }
    });
    if (hi === lo) { var pad0 = Math.abs(hi) * 0.01 || 1; lo -= pad0; hi += pad0; }
    var pad = (hi - lo) * 0.06;
    lo -= pad; hi += pad;
    var y = function (v) { return MT + (H - MT - MB) * (1 - (v - lo) / (hi - lo)); };

    var root = svg('svg', {
      'class': 'chart-svg', viewBox: '0 0 ' + W + ' ' + H, role: 'img', tabindex: '0',
      'aria-label': 'Trend of ' + s.bench + (Object.keys(s.params).length ? ' (' +
        paramsText(s.params) + ')' : '') + ', ' + s.metric + ': ' + pts.length +
        ' commits, latest median ' + fmtScaled(pts[pts.length - 1].median, s.scale)
    });

    // Axes and grid, with the unit on the y axis.
    var ticks = niceTicks(lo / s.scale.div, hi / s.scale.div, 4);
    var decimals = Math.max(0, -Math.floor(Math.log10(ticks.step) + 1e-9));
    ticks.ticks.forEach(function (t) {
      var ty = y(t * s.scale.div);
      svg('line', { 'class': 'grid', x1: ML, x2: W - MR, y1: ty, y2: ty }, root);
      var label = svg('text', { x: ML - 6, y: ty + 4, 'text-anchor': 'end' }, root);
      label.textContent = t.toFixed(Math.min(decimals, 20));
    });
    var unit = svg('text', { 'class': 'unit-label', x: 4, y: 14 }, root);
    unit.textContent = (s.scale.unit || s.unit || 'value') +
      (s.dir === 'lower' ? '  \u2193 lower is better' : '  \u2191 higher is better');
    svg('line', { 'class': 'axis', x1: ML, x2: W - MR, y1: H - MB, y2: H - MB }, root);
    svg('line', { 'class': 'axis', x1: ML, x2: ML, y1: MT, y2: H - MB }, root);
    var nTicks = Math.min(5, span + 1);
    for (var t = 0; t < nTicks; t++) {
      var at = first + (nTicks === 1 ? 0 : Math.round(t * span / (nTicks - 1)));
      var tx = x(at);
      svg('line', { 'class': 'axis', x1: tx, x2: tx, y1: H - MB, y2: H - MB + 4 }, root);
      var anchor = t === 0 && nTicks > 1 ? 'start' : t === nTicks - 1 && nTicks > 1 ? 'end' : 'middle';
      var l1 = svg('text', { x: tx, y: H - MB + 16, 'text-anchor': anchor }, root);
      l1.textContent = shortSha(commits.sha[at]);
      var l2 = svg('text', { x: tx, y: H - MB + 29, 'text-anchor': anchor }, root);
      l2.textContent = fmtTime(commits.time[at]).slice(0, 10);
    }

    // Baseline band: one area per stretch of consecutive points that have one.
    var stretches = [];
    var current = null;
    pts.forEach(function (p) {
      if (p.band) { if (!current) { current = []; stretches.push(current); } current.push(p); }
      else current = null;
    });
    // Drawn as steps: a commit's band holds from halfway to its neighbours, because each commit
    // was compared with its own window (joining them with slopes would invent values between).
    stretches.forEach(function (st) {
      var edges = st.map(function (p, k) {
        var here = x(p.pos);
        return [k > 0 ? (x(st[k - 1].pos) + here) / 2 : here - 1.5,
                k + 1 < st.length ? (x(st[k + 1].pos) + here) / 2 : here + 1.5];
      });
      function steps(list, value, reverse) {
        var out = [];
        list.forEach(function (p, k) {
          var e = edges[reverse ? st.length - 1 - k : k];
          var vy = y(value(p)).toFixed(1);
          var from = reverse ? e[1] : e[0], to = reverse ? e[0] : e[1];
          out.push(from.toFixed(1) + ',' + vy, to.toFixed(1) + ',' + vy);
        });
        return out;
      }
      var top = steps(st, function (p) { return p.band.high; }, false);
      var bottom = steps(st.slice().reverse(), function (p) { return p.band.low; }, true);
      svg('path', { 'class': 'band', d: 'M' + top.concat(bottom).join('L') + 'Z' }, root);
      svg('path', { 'class': 'band-median', d: 'M' + steps(st, function (p) {
        return p.band.median; }, false).join('L') }, root);
    });

    // Spread of the repetitions, then the median line.
    var spread = 'M' + pts.map(function (p) { return x(p.pos).toFixed(1) + ',' + y(p.max).toFixed(1); }).join('L');
    spread += 'L' + pts.slice().reverse().map(function (p) { return x(p.pos).toFixed(1) + ',' + y(p.min).toFixed(1); }).join('L') + 'Z';
    svg('path', { 'class': 'spread', d: spread }, root);
    svg('path', { 'class': 'median', d: 'M' + pts.map(function (p) {
      return x(p.pos).toFixed(1) + ',' + y(p.median).toFixed(1); }).join('L') }, root);
    var showDots = pts.length <= 60;
    pts.forEach(function (p) {
      if (partialCommits[p.pos]) {
        svg('circle', { 'class': 'dot-partial', cx: x(p.pos), cy: y(p.median), r: 3 }, root);
      } else if (showDots) {
        svg('circle', { 'class': 'dot', cx: x(p.pos), cy: y(p.median), r: 2.2 }, root);
      }
    });

    // Change points: a dashed line at the first commit of the new level, labelled with an arrow
    // and the change, coloured by whether it is worse or better for this metric. Labels share
    // the row above the plot with the unit, largest change first: each takes the first free
    // place (right of its line, else left), shortened (no commit, then no word) when the full
    // text does not fit, and left out when nothing fits (the line's tooltip says everything).
    var CHAR_PX = 6.6;  // average advance of the 11px bold label font
    var taken = [[0, 8 + unit.textContent.length * CHAR_PX]];
    function place(cx, text) {
      var w = text.length * CHAR_PX;
      var options = [[cx + 4, cx + 4 + w, 'start'], [cx - 4 - w, cx - 4, 'end']];
      for (var k = 0; k < options.length; k++) {
        var o = options[k];
        if (o[0] < 0 || o[1] > W) continue;
        var free = taken.every(function (r) { return o[1] + 6 <= r[0] || o[0] >= r[1] + 6; });
        if (free) { taken.push([o[0], o[1]]); return { x: o[2] === 'start' ? o[0] : o[1], anchor: o[2] }; }
      }
      return null;
    }
    s.cps.slice().sort(function (a, b) { return Math.abs(b[1]) - Math.abs(a[1]); }).forEach(function (cp) {
      var worse = isWorse(cp[1], s.dir);
      var g = svg('g', { 'class': 'cp ' + (worse ? 'cp-worse' : 'cp-better') }, root);
      var cx = x(cp[0]);
      svg('line', { 'class': 'cp-line', x1: cx, x2: cx, y1: MT - 4, y2: H - MB }, g);
      var arrow = (cp[1] > 0 ? '\u25b2 ' : '\u25bc ') + fmtPct(cp[1]);
      var verdict = worse ? ' worse' : ' better';
      var texts = [arrow + ' @ ' + shortSha(commits.sha[cp[0]]) + verdict, arrow + verdict, arrow];
      for (var k = 0; k < texts.length; k++) {
        var at = place(cx, texts[k]);
        if (!at) continue;
        var label = svg('text', { x: at.x, y: MT - 8, 'text-anchor': at.anchor }, g);
        label.textContent = texts[k];
        break;
      }
      var title = svg('title', null, g);
      title.textContent = 'Change point at ' + commits.sha[cp[0]] + ': ' + fmtPct(cp[1]) +
          (cp[2] !== null ? ' (p = ' + fmtProb(cp[2]) + ')' : '') + ' \u2014 ' +
          (commits.subject[cp[0]] || '');
    });

    // Hover, click-to-pin and keyboard: nearest commit to the pointer.
    var hoverLine = svg('line', { 'class': 'hover-line', y1: MT, y2: H - MB, visibility: 'hidden' }, root);
    var hoverDot = svg('circle', { 'class': 'hover-dot', r: 4, visibility: 'hidden' }, root);
    var overlay = svg('rect', { 'class': 'overlay', x: ML, y: MT, width: W - ML - MR,
      height: H - MT - MB }, root);
    var active = pts.length - 1;
    function nearest(clientX) {
      var box = root.getBoundingClientRect();
      var vx = (clientX - box.left) * W / box.width;
      var best = 0, bestDist = Infinity;
      for (var j = 0; j < pts.length; j++) {
        var dist = Math.abs(x(pts[j].pos) - vx);
        if (dist < bestDist) { bestDist = dist; best = j; }
      }
      return best;
    }
    function mark(j, pageX, pageY, pin) {
      active = j;
      var p = pts[j];
      hoverLine.setAttribute('x1', x(p.pos)); hoverLine.setAttribute('x2', x(p.pos));
      hoverLine.setAttribute('visibility', 'visible');
      hoverDot.setAttribute('cx', x(p.pos)); hoverDot.setAttribute('cy', y(p.median));
      hoverDot.setAttribute('visibility', 'visible');
      showTooltip(pointLines(s, p), pageX, pageY, pin);
    }
    function unmark() {
      hoverLine.setAttribute('visibility', 'hidden');
      hoverDot.setAttribute('visibility', 'hidden');
      if (!pinned) hideTooltip();
    }
    overlay.addEventListener('mousemove', function (e) {
      if (!pinned) mark(nearest(e.clientX), e.pageX, e.pageY, false);
    });
    overlay.addEventListener('mouseleave', unmark);
    overlay.addEventListener('click', function (e) { mark(nearest(e.clientX), e.pageX, e.pageY, true); });
    root.addEventListener('keydown', function (e) {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      e.preventDefault();
      var j = Math.max(0, Math.min(pts.length - 1, active + (e.key === 'ArrowLeft' ? -1 : 1)));
      var box = root.getBoundingClientRect();
      mark(j, window.scrollX + box.left + x(pts[j].pos) * box.width / W,
        window.scrollY + box.top + y(pts[j].median) * box.height / H, false);
    });
    root.addEventListener('blur', unmark);
    container.appendChild(root);
    // For "#point=<series>:<position>": pin the tooltip on that commit's point.
    pinners[i] = function (position) {
      for (var j = 0; j < pts.length; j++) {
        if (pts[j].pos !== position) continue;
        var box = root.getBoundingClientRect();
        mark(j, window.scrollX + box.left + x(position) * box.width / W,
          window.scrollY + box.top + y(pts[j].median) * box.height / H, true);
        return;
      }
    };
  }
  var pinners = {};

  // ---- lazy drawing ------------------------------------------------------------------------------
  var charts = Array.prototype.slice.call(document.querySelectorAll('.chart[data-i]'));
  var NEAR_PX = 300;  // start drawing a chart this far before it scrolls into view
  var observer = null;
  if ('IntersectionObserver' in window && document.body.getAttribute('data-lazy') === '1') {
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        drawChart(Number(entry.target.getAttribute('data-i')));
      });
    }, { rootMargin: NEAR_PX + 'px 0px' });
    charts.forEach(function (c) { observer.observe(c); });
  } else {
    charts.forEach(function (c) { drawChart(Number(c.getAttribute('data-i'))); });
  }
  // Charts already within reach at load (or after a jump) are drawn at once rather than on the
  // observer's first callback, which comes a frame later: the first screen shows charts, and
  // what is drawn does not depend on frame timing.
  function drawInView() {
    var limit = window.innerHeight + NEAR_PX;
    charts.forEach(function (c) {
      if (c.getAttribute('data-drawn') === '1') return;
      var suite = c.closest('details.suite');
      if (suite && (!suite.open || suite.hidden) || c.closest('article.series').hidden) return;
      var box = c.getBoundingClientRect();
      if (box.bottom > -NEAR_PX && box.top < limit) drawChart(Number(c.getAttribute('data-i')));
    });
  }
  // "#s-12" (the links of the flagged-changes table): open the suite, scroll, draw.
  function jumpToSeries(id) {
    var article = document.getElementById(id);
    if (!article || !article.classList.contains('series')) return false;
    var suite = article.closest('details.suite');
    if (suite) { suite.hidden = false; suite.open = true; }
    article.hidden = false;
    article.scrollIntoView({ block: 'start' });
    drawInView();
    return true;
  }
  function drawAllVisible() {
    suites.forEach(function (d) { d.open = true; });
    charts.forEach(function (c) {
      var article = c.closest('article.series');
      if (!article.hidden) drawChart(Number(c.getAttribute('data-i')));
    });
  }
  window.addEventListener('beforeprint', drawAllVisible);

  // ---- series search and suites ------------------------------------------------------------------
  var suites = Array.prototype.slice.call(document.querySelectorAll('details.suite'));
  var articles = Array.prototype.slice.call(document.querySelectorAll('article.series'));
  var haystacks = articles.map(function (a) {
    var s = data.series[Number(a.getAttribute('data-i'))];
    return [s.suite, s.bench, paramsText(s.params), s.metric, s.unit,
      'status:' + (s.status || 'unchecked')].join(' ').toLowerCase();
  });
  var search = document.getElementById('series-search');
  var seriesCount = document.getElementById('series-count');
  function applySearch() {
    var terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    articles.forEach(function (a, k) {
      var match = terms.every(function (t) { return haystacks[k].indexOf(t) !== -1; });
      a.hidden = !match;
      if (match) shown++;
    });
    suites.forEach(function (d) {
      var any = d.querySelector('article.series:not([hidden])') !== null;
      d.hidden = !any;
      if (terms.length && any) d.open = true;
    });
    seriesCount.textContent = terms.length ? shown + ' of ' + articles.length + ' series match'
      : articles.length + ' series';
  }
  var searchTimer = null;
  search.addEventListener('input', function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(applySearch, 120);
  });
  document.getElementById('expand-all').addEventListener('click', function () {
    suites.forEach(function (d) { if (!d.hidden) d.open = true; });
  });
  document.getElementById('collapse-all').addEventListener('click', function () {
    suites.forEach(function (d) { d.open = false; });
  });

  // ---- flagged changes table ---------------------------------------------------------------------
  var table = document.getElementById('flagged');
  var tbody = table ? table.tBodies[0] : null;
  var rows = tbody ? Array.prototype.slice.call(tbody.rows) : [];
  rows.forEach(function (r, k) { r.setAttribute('data-order', k); });
  var filterInput = document.getElementById('flagged-filter');
  var statusSelect = document.getElementById('flagged-status');
  var flaggedCount = document.getElementById('flagged-count');

  function sortTable(key, dir) {
    if (!table) return;
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var col = -1;
    headers.forEach(function (th, k) {
      if (th.getAttribute('data-key') === key) col = k;
      th.setAttribute('aria-sort', 'none');
    });
    if (col < 0) return;
    var numeric = headers[col].getAttribute('data-type') === 'num';
    headers[col].setAttribute('aria-sort', dir === 'desc' ? 'descending' : 'ascending');
    var sign = dir === 'desc' ? -1 : 1;
    var value = function (r) {
      var v = r.cells[col].getAttribute('data-v');
      if (!numeric) return v || '';
      var n = parseFloat(v);
      return isNaN(n) ? null : n;
    };
    rows.sort(function (a, b) {
      var va = value(a), vb = value(b);
      var c;
      if (va === null || vb === null) c = va === vb ? 0 : va === null ? 1 : -1;  // n/a last
      else c = numeric ? sign * (va - vb) : sign * va.localeCompare(vb);
      return c || Number(a.getAttribute('data-order')) - Number(b.getAttribute('data-order'));
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
  }
  function filterTable() {
    if (!table) return;
    var terms = filterInput.value.toLowerCase().split(/\s+/).filter(Boolean);
    var status = statusSelect.value;
    var shown = 0;
    rows.forEach(function (r) {
      var text = r.textContent.toLowerCase();
      var ok = (!status || r.getAttribute('data-status') === status) &&
        terms.every(function (t) { return text.indexOf(t) !== -1; });
      r.hidden = !ok;
      if (ok) shown++;
    });
    flaggedCount.textContent = shown + ' of ' + rows.length + ' shown';
    Array.prototype.slice.call(document.querySelectorAll('.card[data-filter]')).forEach(function (c) {
      c.setAttribute('aria-pressed', status && c.getAttribute('data-filter') === status ? 'true' : 'false');
    });
  }
  if (table) {
    Array.prototype.slice.call(table.tHead.rows[0].cells).forEach(function (th) {
      var button = th.querySelector('button.sort');
      if (!button) return;
      button.addEventListener('click', function () {
        var key = th.getAttribute('data-key');
        var now = th.getAttribute('aria-sort');
        var numeric = th.getAttribute('data-type') === 'num';
        var dir = now === 'none' ? (numeric ? 'desc' : 'asc') : now === 'ascending' ? 'desc' : 'asc';
        sortTable(key, dir);
      });
    });
    filterInput.addEventListener('input', filterTable);
    statusSelect.addEventListener('change', filterTable);
  }
  Array.prototype.slice.call(document.querySelectorAll('.card')).forEach(function (card) {
    card.addEventListener('click', function () {
      var f = card.getAttribute('data-filter');
      if (f && statusSelect) {
        statusSelect.value = statusSelect.value === f ? '' : f;
        filterTable();
        table.scrollIntoView({ block: 'nearest' });
        return;
      }
      var q = card.getAttribute('data-search');
      if (q) {
        search.value = q;
        applySearch();
        document.getElementById('trends').scrollIntoView();
      }
    });
  });

  // ---- pivot table -----------------------------------------------------------------------------
  var pivotRoot = document.getElementById('pivot');
  var roles = {};  // dimension -> 'row', 'col' or '=value' (fixed to one value)
  function dimLabel(dim) { return dim.indexOf('param:') === 0 ? dim.slice(6) : dim; }
  function dimValue(dim, s) {
    if (dim === 'benchmark') return s.bench;
    if (dim === 'suite') return s.suite;
    var v = s.params[dim.slice(6)];
    if (v === undefined) return '\u2014';
    return typeof v === 'string' ? v : JSON.stringify(v);
  }
  // Numbers by value, text in natural order (op_2 before op_10); 'en' so every reader sees the
  // same order whatever their locale.
  function compareValues(a, b) {
    var na = Number(a), nb = Number(b);
    if (a !== '' && b !== '' && !isNaN(na) && !isNaN(nb)) return na - nb;
    return a.localeCompare(b, 'en', { numeric: true });
  }
  function buildPivot() {
    if (!pivotRoot || !data.comparisons.length) return;
    pivotRoot.textContent = '';
    var controls = el('div', 'pivot-controls');
    var metricLabel = el('label', null, 'Metric');
    var metricSelect = el('select');
    metricSelect.id = 'pivot-metric';
    data.comparisons.forEach(function (g, k) {
      var o = el('option', null, g.metric + ' (' + (g.unit || 'no unit') + ', ' + g.entries.length + ' series)');
      o.value = String(k);
      metricSelect.appendChild(o);
    });
    // Default: the metric with the most series that have params.
    var bestGroup = 0, bestScore = -1;
    data.comparisons.forEach(function (g, k) {
      var score = g.dims.length * 100000 + g.entries.length;
      if (score > bestScore) { bestScore = score; bestGroup = k; }
    });
    metricSelect.value = String(bestGroup);
    metricLabel.appendChild(metricSelect);
    controls.appendChild(metricLabel);
    var dimControls = el('div', 'pivot-controls');
    var tableWrap = el('div', 'table-wrap');
    pivotRoot.appendChild(controls);
    pivotRoot.appendChild(dimControls);
    pivotRoot.appendChild(tableWrap);

    function setupGroup() {
      var g = data.comparisons[Number(metricSelect.value)];
      dimControls.textContent = '';
      roles = {};
      var values = {};
      g.dims.forEach(function (dim) {
        var set = {};
        g.entries.forEach(function (e) { set[dimValue(dim, data.series[e[0]])] = true; });
        values[dim] = Object.keys(set).sort(compareValues);
      });
      // Default layout: the varying param with the fewest values goes to columns, every other
      // varying dimension to rows, constant ones are fixed to their only value.
      var varying = g.dims.filter(function (d) { return values[d].length > 1; });
      var colDim = null;
      varying.filter(function (d) { return d.indexOf('param:') === 0; }).forEach(function (d) {
        if (!colDim || values[d].length < values[colDim].length) colDim = d;
      });
      g.dims.forEach(function (dim) {
        if (values[dim].length <= 1) roles[dim] = '=' + values[dim][0];
        else roles[dim] = dim === colDim && varying.length > 1 ? 'col' : 'row';
        var label = el('label', null, dimLabel(dim));
        var select = el('select');
        select.setAttribute('data-dim', dim);
        [['row', 'rows'], ['col', 'columns']].forEach(function (opt) {
          var o = el('option', null, opt[1]);
          o.value = opt[0];
          select.appendChild(o);
        });
        values[dim].forEach(function (v) {
          var o = el('option', null, 'only ' + v);
          o.value = '=' + v;
          select.appendChild(o);
        });
        select.value = roles[dim];
        select.addEventListener('change', function () { roles[dim] = select.value; renderPivot(g, values); });
        label.appendChild(select);
        dimControls.appendChild(label);
      });
      renderPivot(g, values);
    }
    metricSelect.addEventListener('change', setupGroup);
    setupGroup();
  }
  function combos(dims, values) {
    var out = [[]];
    dims.forEach(function (d) {
      var next = [];
      out.forEach(function (prefix) { values[d].forEach(function (v) { next.push(prefix.concat([v])); }); });
      out = next;
    });
    return out;
  }
  function renderPivot(g, values) {
    var tableWrap = pivotRoot.querySelector('.table-wrap');
    tableWrap.textContent = '';
    var rowDims = g.dims.filter(function (d) { return roles[d] === 'row'; });
    var colDims = g.dims.filter(function (d) { return roles[d] === 'col'; });
    var fixed = g.dims.filter(function (d) { return roles[d].charAt(0) === '='; });
    var cells = {};
    g.entries.forEach(function (e) {
      var s = data.series[e[0]];
      var ok = fixed.every(function (d) { return dimValue(d, s) === roles[d].slice(1); });
      if (!ok) return;
      var rk = JSON.stringify(rowDims.map(function (d) { return dimValue(d, s); }));
      var ck = JSON.stringify(colDims.map(function (d) { return dimValue(d, s); }));
      cells[rk + '|' + ck] = { value: e[1], series: e[0], text: e[2] };
    });
    var rowKeys = combos(rowDims, values).filter(function (r) {
      var rk = JSON.stringify(r);
      return Object.keys(cells).some(function (k) { return k.indexOf(rk + '|') === 0; });
    });
    var colKeys = combos(colDims, values).filter(function (c) {
      var ck = JSON.stringify(c);
      return Object.keys(cells).some(function (k) { return k.slice(k.indexOf('|') + 1) === ck; });
    });
    var t = el('table', 'data pivot');
    t.id = 'pivot-table';
    var thead = t.createTHead();
    var hr = thead.insertRow();
    rowDims.forEach(function (d) { hr.appendChild(el('th', null, dimLabel(d))); });
    if (!rowDims.length) hr.appendChild(el('th', null, ''));
    colKeys.forEach(function (c) {
      var th = el('th', 'num', colDims.length ? c.map(function (v, k) {
        return dimLabel(colDims[k]) + '=' + v; }).join(', ') : g.metric);
      hr.appendChild(th);
    });
    var tb = t.createTBody();
    var higher = g.dir === 'higher';
    function bestOf(list) {
      var out = { best: null, max: 0, n: 0 };
      list.forEach(function (c) {
        if (!c || !isFinite(c.value)) return;
        out.n++;
        if (!out.best || (higher ? c.value > out.best.value : c.value < out.best.value)) out.best = c;
        out.max = Math.max(out.max, Math.abs(c.value));
      });
      return out;
    }
    // One column: nothing to compare within a row, so the rows are compared with each other.
    var column = colKeys.length === 1 ? bestOf(rowKeys.map(function (r) {
      return cells[JSON.stringify(r) + '|' + JSON.stringify(colKeys[0])];
    })) : null;
    rowKeys.forEach(function (r) {
      var tr = tb.insertRow();
      r.forEach(function (v) { tr.appendChild(el('th', 'row-head', v)); });
      if (!rowDims.length) tr.appendChild(el('th', 'row-head', 'all'));
      var rk = JSON.stringify(r);
      var present = colKeys.map(function (c) { return cells[rk + '|' + JSON.stringify(c)]; });
      var scope = column || bestOf(present);
      var best = scope.best, max = scope.max;
      present.forEach(function (c) {
        var td = el('td', 'num cell');
        if (!c) { td.appendChild(el('span', 'muted', '\u2014')); tr.appendChild(td); return; }
        var link = el('a', null, c.text);
        link.setAttribute('href', '#s-' + c.series);
        td.appendChild(link);
        if (best && scope.n > 1) {
          if (c === best) {
            td.classList.add('best');
            td.appendChild(el('span', 'best-mark', '\u2605 best'));
          } else if (best.value !== 0) {
            td.appendChild(el('span', 'ratio', fmtNum(c.value / best.value, 3) + '\u00d7 best'));
          }
        }
        var bar = el('span', 'bar');
        bar.style.width = (max > 0 ? Math.max(2, 100 * Math.abs(c.value) / max) : 0) + '%';
        td.appendChild(bar);
        tr.appendChild(td);
      });
    });
    tableWrap.appendChild(t);
  }
  buildPivot();

  // ---- URL fragment state ----------------------------------------------------------------------
  function applyFragment() {
    var hash = location.hash.replace(/^#/, '');
    if (hash.indexOf('=') === -1) {  // a plain anchor such as #s-12
      if (/^s-[0-9]+$/.test(hash)) jumpToSeries(hash);
      return;
    }
    var params = new URLSearchParams(hash);
    if (params.has('q')) { search.value = params.get('q'); applySearch(); }
    if (table) {
      if (params.has('filter')) filterInput.value = params.get('filter');
      if (params.has('status')) statusSelect.value = params.get('status');
      if (params.has('filter') || params.has('status')) filterTable();
      if (params.has('sort')) sortTable(params.get('sort'), params.get('dir') === 'asc' ? 'asc' : 'desc');
    }
    if (params.get('draw') === 'all') drawAllVisible();
    if (params.has('variants') && variantsSelect) showVariants('variants-' + params.get('variants'));
    var point = /^([0-9]+):([0-9]+)$/.exec(params.get('point') || '');
    // "point=SHA" (the dashboard's series page, one series): that commit's point of series 0.
    var shaPoint = /^[0-9A-Za-z._-]+$/.exec(params.get('point') || '');
    if (!point && shaPoint && data.series.length === 1) {
      var at = commits.sha.indexOf(shaPoint[0]);
      if (at >= 0) point = [null, '0', String(at)];
    }
    if (point && jumpToSeries('s-' + point[1])) {
      drawChart(Number(point[1]));
      if (pinners[point[1]]) pinners[point[1]](Number(point[2]));
    }
  }
  // ---- variant tables: one metric at a time ----------------------------------------------------
  // Without the script every table is open under an index of links; with it a selector shows
  // one. "#variants-METRIC" (the table's id) selects that metric and scrolls to it;
  // "#variants=METRIC" only selects it.
  var variantsPicker = document.getElementById('variants-picker');
  var variantsSelect = document.getElementById('variants-metric');
  var variantTables = Array.prototype.slice.call(document.querySelectorAll('details.variants'));
  function showVariants(anchor) {
    var found = variantTables.some(function (t) { return t.id === anchor; });
    if (!found) return false;
    variantTables.forEach(function (t) {
      t.hidden = t.id !== anchor;
      if (t.id === anchor) t.open = true;
    });
    variantsSelect.value = anchor;
    return true;
  }
  function variantsFromFragment() {
    if (!variantsSelect) return;
    var hash = location.hash.replace(/^#/, '');
    if (hash.indexOf('variants-') === 0 && showVariants(hash)) {
      document.getElementById('variants').scrollIntoView();
    }
  }
  if (variantsPicker && variantsSelect && variantTables.length > 0) {
    variantsPicker.hidden = false;
    var variantsIndex = document.querySelector('nav.variants-index');
    if (variantsIndex) variantsIndex.hidden = true;
    variantsSelect.addEventListener('change', function () { showVariants(variantsSelect.value); });
    showVariants(variantTables[0].id);
    window.addEventListener('hashchange', variantsFromFragment);
  }

  window.addEventListener('hashchange', applyFragment);
  applySearch();
  if (table) filterTable();
  applyFragment();
  variantsFromFragment();
  drawInView();
  document.body.setAttribute('data-ready', '1');
})();
