#!/usr/bin/env python3
"""Drive the review page in headless Chromium over the DevTools protocol (standard library only).

    review.py PAGE DOWNLOADS ENTRY QUOTE_WORDS

Opens PAGE, clicks the header of the card of entry ENTRY on the theme map with the mouse, reads the panel,
names the reviewer, adds a comment on the entry and one (`drop-quote`) on the first quote that
holds QUOTE_WORDS, clicks "Save comments" and waits for the file in DOWNLOADS; then clicks the
first relation's label on the map and types "family" in the search box. Prints one JSON object:
what the panel showed, the saved file's name, what the relation and the search showed, and
every console error and exception.

Chromium talks over file descriptors 3 (its input) and 4 (its output) with
`--remote-debugging-pipe`, one NUL-terminated JSON message each.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

page, downloads, entry, quote_words = sys.argv[1:5]
browser = os.environ.get("THEMA_CHROMIUM", "chromium")

to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()


def wire():
    # Through fresh descriptors first: a pipe may itself be 3 or 4, and dup2 onto itself would
    # keep its close-on-exec flag.
    r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)
    os.dup2(r, 3)
    os.dup2(w, 4)


profile = tempfile.mkdtemp(prefix="thema-review-browser-")
proc = subprocess.Popen(
    [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-pipe",
     "--user-data-dir=" + profile, "--window-size=1400,1000", "about:blank"],
    preexec_fn=wire, close_fds=False,
    stdout=subprocess.DEVNULL, stderr=None if os.environ.get("THEMA_BROWSER_LOG") else subprocess.DEVNULL)
os.close(to_chrome_r)
os.close(from_chrome_w)
out = os.fdopen(to_chrome_w, "wb", buffering=0)
inp = os.fdopen(from_chrome_r, "rb", buffering=0)

buffer = b""
next_id = 0
events = []


def receive():
    global buffer
    while b"\0" not in buffer:
        chunk = inp.read(65536)
        if not chunk:
            raise SystemExit("chromium closed the pipe")
        buffer += chunk
    message, buffer = buffer.split(b"\0", 1)
    return json.loads(message)


def send(method, params=None, session=None):
    global next_id
    next_id += 1
    message = {"id": next_id, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    out.write(json.dumps(message).encode() + b"\0")
    while True:
        reply = receive()
        if reply.get("id") == next_id:
            if "error" in reply:
                raise SystemExit(method + ": " + json.dumps(reply["error"]))
            return reply.get("result", {})
        events.append(reply)


def run(session, expression):
    result = send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session)
    if "exceptionDetails" in result:
        raise SystemExit("script failed: " + json.dumps(result["exceptionDetails"]))
    return result["result"].get("value")


def wait(session, expression, what, seconds=10):
    end = time.time() + seconds
    while time.time() < end:
        if run(session, expression):
            return
        time.sleep(0.05)
    raise SystemExit("timed out waiting for " + what)


def click(session, selector):
    """A real mouse click in the middle of the first element `selector` finds."""
    box = run(session, "(function(){var e=document.querySelector(%s); if(!e) return null; e.scrollIntoView({block:'center'});"
              "var r=e.getBoundingClientRect(); return [r.left+r.width/2, r.top+r.height/2];})()" % json.dumps(selector))
    if not box:
        raise SystemExit("nothing matches " + selector)
    if os.environ.get("THEMA_BROWSER_LOG"):
        sys.stderr.write("click %s at %s on %s\n" % (selector, box, run(session, "(function(){var e=document.elementFromPoint(%f,%f); return e && (e.outerHTML.slice(0,120));})()" % (box[0], box[1]))))
    for kind in ("mousePressed", "mouseReleased"):
        send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1}, session)


def type_into(session, selector, text):
    click(session, selector)
    send("Input.insertText", {"text": text}, session)


try:
    target = send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    send("Runtime.enable", {}, session)
    send("Log.enable", {}, session)
    send("Page.enable", {}, session)
    send("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads, "eventsEnabled": True})
    send("Page.navigate", {"url": "file://" + page}, session)
    wait(session, "!!document.documentElement && document.documentElement.getAttribute('data-ready') === 'yes'", "the page's script")

    # Click the entry's name on the map.
    click(session, '#map g[data-entry="%s"] > path' % entry)
    wait(session, "document.getElementById('panel').getAttribute('data-showing') === %s" % json.dumps("code:" + entry),
         "the panel to show the entry")
    panel = run(session, """(function(){
      var p = document.getElementById('panel');
      return { heading: p.querySelector('h2').textContent,
               counts: Array.from(p.querySelectorAll('dl.counts dd')).map(function (d) { return d.textContent; }),
               sets: Array.from(p.querySelectorAll('table.sets tr')).map(function (r) {
                 return Array.from(r.children).map(function (c) { return c.textContent; }); }),
               quotes_heading: (p.querySelector('#quotes-heading') || {}).textContent,
               quotes: Array.from(p.querySelectorAll('#quotes blockquote')).map(function (b) { return b.textContent; }) };
    })()""")

    # Two comments: one on the entry, one on a quote.
    type_into(session, "#reviewer", "Ana Reviewer")
    type_into(session, "#panel form.comment-form textarea", "Is this hope or relief?")
    click(session, "#panel form.comment-form button[type=submit]")
    wait(session, "document.getElementById('count').textContent === '1'", "the first comment")
    index = run(session, """Array.from(document.querySelectorAll('#quotes blockquote'))
      .findIndex(function (b) { return b.textContent.indexOf(%s) >= 0; })""" % json.dumps(quote_words))
    if index < 0:
        raise SystemExit("no quote holds " + quote_words)
    quote = "#quotes blockquote:nth-of-type(%d)" % (index + 1)
    click(session, quote + " button.link")
    run(session, "document.querySelector(%s).value = 'drop-quote'" % json.dumps(quote + " select"))
    type_into(session, quote + " textarea", "Not about hope.")
    click(session, quote + " button[type=submit]")
    wait(session, "document.getElementById('count').textContent === '2'", "the second comment")

    # Save: the browser downloads the file.
    click(session, "#save")
    end = time.time() + 10
    saved = None
    while time.time() < end and not saved:
        done = [f for f in os.listdir(downloads) if f.endswith(".json")]
        saved = done[0] if done else None
        time.sleep(0.05)
    # A relation's label on the map, then the search box.
    click(session, "#map text[data-relations]")
    relation = run(session, "document.getElementById('panel').getAttribute('data-showing')")
    type_into(session, "#search", "family")
    search = run(session, "document.querySelector('#panel h2').textContent")

    # Clear the search: every codebook row shows again.
    run(session, "(function(){var s=document.getElementById('search'); s.value=''; s.dispatchEvent(new Event('input')); return 1;})()")
    # The codebook table: a row an entry, each coder's segments beside the page's counts.
    codebook = run(session, """Array.from(document.querySelectorAll('#codebook tr')).map(function (r) {
      return Array.from(r.children).map(function (c) { return c.textContent; }); })""")
    # The heatmap: a cell opens its pair; a label opens its entry.
    click(session, "#heatmap td[data-pair] button")
    pair = run(session, """(function(){ var p = document.getElementById('panel');
      return { showing: p.getAttribute('data-showing'), heading: p.querySelector('h2').textContent,
               counts: Array.from(p.querySelectorAll('dl.counts dd')).map(function (d) { return d.textContent; }) }; })()""")
    heatmap = run(session, """Array.from(document.querySelectorAll('#heatmap tbody tr, #heatmap tr')).length""")
    # Quotes a page at a time: with pages of 2, the theme's 3 quotes show 2 and a button for 1.
    run(session, "document.documentElement.setAttribute('data-quote-page', '2')")
    click(session, '#codebook tr[data-entry-row="%s"] button.link' % entry)
    paged = [run(session, "document.querySelectorAll('#quotes blockquote').length"),
             run(session, "document.getElementById('more-quotes').textContent")]
    click(session, "#more-quotes")
    paged += [run(session, "document.querySelectorAll('#quotes blockquote').length"),
              run(session, "document.getElementById('more-quotes').hidden")]
    # A relation offers the suggestions a relation can take.
    click(session, "#relations button.link")
    relation_kinds = run(session, "Array.from(document.querySelectorAll('#panel select option')).map(function (o) { return o.value; })")

    # Errors the page made: exceptions and console errors.
    send("Runtime.evaluate", {"expression": "1"}, session)
    errors = []
    for e in events:
        if e.get("method") == "Runtime.exceptionThrown":
            errors.append(e["params"]["exceptionDetails"].get("text", "exception"))
        elif e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error":
            errors.append(" ".join(str(a.get("value")) for a in e["params"]["args"]))
        elif e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error":
            errors.append(e["params"]["entry"]["text"])
    print(json.dumps({"panel": panel, "saved": saved, "relation": relation, "search": search, "errors": errors,
                      "codebook": codebook, "pair": pair, "heatmap_rows": heatmap, "paged": paged,
                      "relation_kinds": relation_kinds}))
finally:
    try:
        send("Browser.close")
    except BaseException:
        pass
    proc.kill()
    proc.wait()
    subprocess.run(["rm", "-rf", profile])
