"""A stand-in for GitHub on 127.0.0.1, for ci/test_action.sh: release downloads and the few
REST calls perftrack's check makes (commit statuses, listing/creating/editing PR comments).
It keeps what it is sent in memory and logs every request as one JSON line.

    python3 github_stand_in.py RELEASES_DIR LOG_FILE PORT_FILE

GET /download/<path>                          a file under RELEASES_DIR, else 404
GET /api/repos/<o>/<r>/issues/<n>/comments    the PR's comments
POST /api/repos/<o>/<r>/issues/<n>/comments   a new comment (201)
PATCH /api/repos/<o>/<r>/issues/comments/<id> edits one (200)
POST /api/repos/<o>/<r>/statuses/<sha>        a commit status (201)
"""

import json
import os
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

releases_dir, log_file, port_file = sys.argv[1:4]
comments = {}  # id -> {"id", "pr", "body"}
next_id = [1000]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def record(self, status, body=None):
        with open(log_file, "a") as f:
            f.write(json.dumps({
                "method": self.command,
                "path": self.path,
                "status": status,
                "authorization": self.headers.get("Authorization", ""),
                "body": body,
            }) + "\n")

    def reply(self, status, payload=None, raw=None, request_body=None):
        self.record(status, request_body)
        data = raw if raw is not None else json.dumps(payload).encode() if payload is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream" if raw is not None else "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length", "0"))
        text = self.rfile.read(length).decode() if length else ""
        return json.loads(text) if text else None

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.startswith("/download/"):
            file = os.path.realpath(os.path.join(releases_dir, path[len("/download/"):]))
            if file.startswith(os.path.realpath(releases_dir) + os.sep) and os.path.isfile(file):
                with open(file, "rb") as f:
                    return self.reply(200, raw=f.read())
            return self.reply(404, {"message": "Not Found"})
        m = re.fullmatch(r"/api/repos/[^/]+/[^/]+/issues/(\d+)/comments", path)
        if m:
            query = re.search(r"(?:\?|&)page=(\d+)", self.path)
            page = int(query.group(1)) if query else 1
            listed = [c for c in comments.values() if c["pr"] == m.group(1)] if page == 1 else []
            return self.reply(200, [{"id": c["id"], "body": c["body"]} for c in listed])
        self.reply(404, {"message": "Not Found"})

    def do_POST(self):
        path = self.path.split("?")[0]
        body = self.body()
        m = re.fullmatch(r"/api/repos/[^/]+/[^/]+/issues/(\d+)/comments", path)
        if m:
            next_id[0] += 1
            comments[next_id[0]] = {"id": next_id[0], "pr": m.group(1), "body": body["body"]}
            return self.reply(201, {"id": next_id[0]}, request_body=body)
        if re.fullmatch(r"/api/repos/[^/]+/[^/]+/statuses/[0-9A-Za-z]+", path):
            return self.reply(201, {"state": body["state"]}, request_body=body)
        self.reply(404, {"message": "Not Found"}, request_body=body)

    def do_PATCH(self):
        path = self.path.split("?")[0]
        body = self.body()
        m = re.fullmatch(r"/api/repos/[^/]+/[^/]+/issues/comments/(\d+)", path)
        if m and int(m.group(1)) in comments:
            comments[int(m.group(1))]["body"] = body["body"]
            return self.reply(200, {"id": int(m.group(1))}, request_body=body)
        self.reply(404, {"message": "Not Found"}, request_body=body)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".part", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".part", port_file)
server.serve_forever()
