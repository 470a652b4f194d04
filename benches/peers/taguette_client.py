#!/usr/bin/env python3
"""Drive a running Taguette server through its HTTP API on loopback (standard library only).

    taguette_client.py login   PORT TOKEN STATE           log in as `admin`, create a project
    taguette_client.py import  STATE HTML_DIR             add every .html file as a document
    taguette_client.py code    STATE HIGHLIGHTS.json      create the tags, then one highlight a coding
    taguette_client.py get     STATE PATH OUT             GET PATH (an export) into OUT

STATE is a JSON file holding the port, the cookies and the project id, so that each step can be
timed as its own process. The requests are the ones Taguette's web page makes: POST
/project/new, POST /api/project/P/document/new (multipart, as the upload form), POST
/api/project/P/tag/new and POST /api/project/P/document/D/highlight/new (JSON).
"""

import http.client
import json
import os
import sys
import uuid

XSRF = "0123456789abcdef0123456789abcdef"


class Client:
    def __init__(self, port, cookies=None):
        self.port = port
        self.cookies = dict(cookies or {})
        self.cookies.setdefault("_xsrf", XSRF)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def request(self, method, path, body=None, headers=None):
        h = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "X-XSRFToken": XSRF,
            "Host": f"localhost:{self.port}",
        }
        h.update(headers or {})
        self.conn.request(method, path, body=body, headers=h)
        resp = self.conn.getresponse()
        data = resp.read()
        for k, v in resp.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0].strip('"') if name.strip() != "user" else rest.split(";", 1)[0]
        return resp.status, dict((k.lower(), v) for k, v in resp.getheaders()), data

    def json(self, path, obj):
        status, _, data = self.request("POST", path, json.dumps(obj).encode(), {"Content-Type": "application/json"})
        if status != 200:
            sys.exit(f"taguette: POST {path} -> {status}: {data[:300]!r}")
        return json.loads(data)


def load(state_path):
    with open(state_path) as f:
        state = json.load(f)
    return state, Client(state["port"], state["cookies"])


def login(port, token, state_path):
    c = Client(int(port))
    status, _, data = c.request("GET", f"/?token={token}")
    if "user" not in c.cookies:
        sys.exit(f"taguette: login failed ({status}): {data[:300]!r}")
    body = f"name=thema-bench&description=&_xsrf={XSRF}".encode()
    status, headers, data = c.request("POST", "/project/new", body, {"Content-Type": "application/x-www-form-urlencoded"})
    location = headers.get("location", "")
    if status not in (302, 303) or "/project/" not in location:
        sys.exit(f"taguette: project creation failed ({status}): {data[:300]!r}")
    project = int(location.rstrip("/").rsplit("/", 1)[1])
    with open(state_path, "w") as f:
        json.dump({"port": int(port), "cookies": c.cookies, "project": project, "documents": {}}, f)


def import_html(state_path, html_dir):
    state, c = load(state_path)
    p = state["project"]
    docs = {}
    for name in sorted(os.listdir(html_dir)):
        if not name.endswith(".html"):
            continue
        with open(os.path.join(html_dir, name), "rb") as f:
            content = f.read()
        boundary = uuid.uuid4().hex
        doc_name = name[: -len(".html")]
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n{doc_name}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\n\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: text/html\r\n\r\n".encode()
            + content
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        status, _, data = c.request(
            "POST",
            f"/api/project/{p}/document/new",
            b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        if status != 200:
            sys.exit(f"taguette: document {name} -> {status}: {data[:300]!r}")
        docs[doc_name] = json.loads(data)["created"]
    state["documents"] = docs
    with open(state_path, "w") as f:
        json.dump(state, f)


def code(state_path, highlights_path):
    state, c = load(state_path)
    p = state["project"]
    with open(highlights_path) as f:
        highlights = json.load(f)  # [[document, start_byte, end_byte, code], ...]
    tags = {}
    for code_id in sorted({h[3] for h in highlights}):
        tags[code_id] = c.json(f"/api/project/{p}/tag/new", {"path": code_id, "description": ""})["id"]
    for doc, start, end, code_id in highlights:
        d = state["documents"][doc]
        c.json(
            f"/api/project/{p}/document/{d}/highlight/new",
            {"start_offset": start, "end_offset": end, "tags": [tags[code_id]]},
        )


def get(state_path, path, out):
    state, c = load(state_path)
    status, _, data = c.request("GET", path.replace("{project}", str(state["project"])))
    if status != 200:
        sys.exit(f"taguette: GET {path} -> {status}: {data[:300]!r}")
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"login": login, "import": import_html, "code": code, "get": get}[cmd](*args)
