namespace Threadbook.Charts;

/// <summary>
/// The script each chart carries: it gets plotly.js once per page, draws the chart, and replaces the chart's
/// text with a plain message when plotly.js cannot be had. Called with one JSON argument (see <see cref="ChartHtml"/>).
/// </summary>
internal static class ChartLoaderScript
{
    public const string MessageClass = "threadbook-chart-message";

    public const string WaitingStyle = "margin:0;padding:.5rem .75rem;border:1px dashed #8c959f;border-radius:4px;background:#f6f8fa;color:#57606a;font:13px/1.4 system-ui,sans-serif";

    public const string FailedStyle = "margin:0;padding:.5rem .75rem;border:1px solid #d4a72c;border-radius:4px;background:#fff8c5;color:#1f2328;font:13px/1.4 system-ui,sans-serif";

    /// <summary>
    /// The shared state lives on <c>window.threadbookPlotly</c>: <c>loads</c> maps a source key to a promise of the
    /// Plotly object, so every chart on a page waits for the same load.
    /// </summary>
    public const string Function = """
        function (chart) {
          var w = window, d = document, here = d.currentScript;
          var shared = w.threadbookPlotly = w.threadbookPlotly || { loads: {} };
          function area() {
            // Found next to this script first: some front ends run it before the output is attached to the document.
            for (var n = here && here.previousElementSibling; n; n = n.previousElementSibling) {
              if (n.id === chart.id) return n;
            }
            return d.getElementById(chart.id);
          }
          function say(el, text, state) {
            var p = d.createElement('p');
            p.className = 'threadbook-chart-message';
            p.setAttribute('data-state', state);
            p.setAttribute('role', state === 'failed' ? 'alert' : 'status');
            p.style.cssText = state === 'failed' ? chart.styles.failed : chart.styles.waiting;
            p.textContent = text;
            el.textContent = '';
            el.appendChild(p);
          }
          function absolute(url) {
            try { return new URL(url, d.baseURI).href; } catch (e) { return url; }
          }
          function fromUrl(url) {
            return new Promise(function (resolve, reject) {
              function found(p) {
                if (p && typeof p.newPlot === 'function') resolve(p);
                else reject(new Error('the script ran but did not define Plotly'));
              }
              var amd = typeof w.define === 'function' && !!w.define.amd;
              if (amd && typeof w.require === 'function') {
                // RequireJS (the classic Jupyter page): plotly's bundle registers as an AMD module there and leaves
                // window.Plotly unset, so ask RequireJS for it.
                w.require([url], found, function (e) {
                  if (w.requirejs && typeof w.requirejs.undef === 'function') w.requirejs.undef(url);
                  reject(e);
                });
                return;
              }
              // An AMD define without require(): hide it while the bundle runs, so that it sets window.Plotly.
              var hidden = amd ? w.define : null;
              function restore() { if (hidden) { w.define = hidden; hidden = null; } }
              var s = d.createElement('script');
              s.onload = function () { restore(); found(w.Plotly); };
              s.onerror = function () { restore(); reject(new Error('the request failed')); };
              s.async = true;
              s.charset = 'utf-8';
              s.src = url;
              if (hidden) w.define = undefined;
              (d.head || d.documentElement).appendChild(s);
            });
          }
          function plotly() {
            var key = chart.source.key, load = shared.loads[key];
            if (load) return load;
            if (!chart.source.url) return Promise.reject(new Error('the inlined plotly.js did not run'));
            load = shared.loads[key] = fromUrl(absolute(chart.source.url));
            // A failed load is forgotten, so that a later chart (once online, say) tries again.
            load.catch(function () { if (shared.loads[key] === load) delete shared.loads[key]; });
            return load;
          }
          var el = area();
          if (!el) return;
          say(el, chart.messages.loading, 'loading');
          var slow = setTimeout(function () { say(el, chart.messages.slow, 'loading'); }, 15000);
          plotly().then(function (Plotly) {
            clearTimeout(slow);
            el.textContent = '';
            return Promise.resolve()
              .then(function () { return Plotly.newPlot(el, chart.data, chart.layout, chart.config); })
              .catch(function (e) { say(el, chart.messages.drawFailed + ' ' + ((e && e.message) || e), 'failed'); });
          }, function () {
            clearTimeout(slow);
            say(el, chart.messages.loadFailed, 'failed');
          });
        }
        """;

    /// <summary>
    /// Runs an inlined plotly.js once per page: <c>define</c>, <c>module</c> and <c>exports</c> are shadowed so the
    /// bundle sets <c>window.Plotly</c> even under RequireJS. The file's text goes between this and <see cref="InlinedSuffix"/>.
    /// </summary>
    public static string InlinedPrefix(string keyJson) =>
        "(function(){var shared=window.threadbookPlotly=window.threadbookPlotly||{loads:{}};if(shared.loads[" + keyJson + "])return;" +
        "(function(define,module,exports){\n";

    /// <summary>The end of <see cref="InlinedPrefix"/>: records the loaded Plotly for the page's charts.</summary>
    public static string InlinedSuffix(string keyJson) =>
        "\n}).call(window);if(window.Plotly&&typeof window.Plotly.newPlot==='function')shared.loads[" + keyJson + "]=Promise.resolve(window.Plotly);})();";
}
