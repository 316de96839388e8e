#!/usr/bin/env python3
"""Independent reference parse of .eml files for the corpus acceptance test (sync-corpus.test.ts).

Python's standard `email` package only (BytesParser, policy.default); nothing is shared with the
app's parser (postal-mime). Usage: independent_parse.py FILE...  Prints one JSON line per file,
in input order:

  {"file", "subject", "from": [addr], "to": [addr], "date": "YYYY-MM-DDTHH:MM:SSZ" | null,
   "attachments": [{"filename", "contentType", "size", "lineOriented", "bareSize"}], "errors": {}}

Addresses: lower-cased addr-specs, groups flattened, every To header; strings without "@" are
not mailboxes (RFC 5322 addr-spec = local-part "@" domain) and are left out.

Attachments, by meaning: a message is shown as body text plus a list of files, so every leaf part
is one or the other.
  - body text: text/plain or text/html not marked `Content-Disposition: attachment`, and a
    multipart that cannot be split (no boundary), whose text is all there is to show;
  - a forwarded message (message/rfc822 not marked attachment) is opened: its body joins the
    body and its own files join the list; except in a report (a message/delivery-status or
    message/feedback-report part present), where the returned message is evidence: one file;
  - everything else is a file: images (inline cid: ones too), calendars, signatures, message/*.
size: decoded body length in bytes (RFC 2046: the line break before a boundary is the
delimiter's). message/* bodies are read as bytes too: the parser is told not to open them.
lineOriented / bareSize: for bodies whose line breaks belong to the encoding, not the data
(7bit/8bit/binary/quoted-printable: canonical CRLF, RFC 2045 6.7, RFC 2046 4.1.1), and calendar
parts (read as UTF-8 text), the size without CR/LF bytes.
"""
import json
import re
import sys
from datetime import timezone
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

BODY_TYPES = {'text/plain', 'text/html'}
REPORT_TYPES = {'message/delivery-status', 'message/feedback-report'}
CALENDAR_TYPES = {'text/calendar', 'application/ics'}
MAX_DEPTH = 64


class OpaqueMessage(EmailMessage):
    """Keeps message/* bodies as bytes: the parser only opens a part whose maintype is message."""

    def get_content_type(self):
        real = super().get_content_type()
        return 'application/x-opaque-message' if real.startswith('message/') else real

    def real_type(self):
        return super().get_content_type()


def parse_bytes(raw):
    return BytesParser(_class=OpaqueMessage, policy=policy.default).parsebytes(raw)


def header_addresses(msg, name):
    out = []
    for header in msg.get_all(name) or []:
        for address in header.addresses:
            spec = address.addr_spec.lower()
            if '@' in spec and spec != '<>':
                out.append(spec)
    return out


def header_date(msg):
    header = msg['date']
    value = getattr(header, 'datetime', None) if header is not None else None
    if value is None:
        return None
    # A naive value is a "-0000" zone: UTC, with no local time information (RFC 5322 3.3).
    value = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
    return value.strftime('%Y-%m-%dT%H:%M:%SZ')


def leaves(part):
    if part.is_multipart():
        for sub in part.get_payload():
            yield from leaves(sub)
    else:
        yield part


def disposition(part):
    return (part.get_content_disposition() or '').strip() or None


def body_bytes(part):
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b''


def describe(part, ctype):
    data = body_bytes(part)
    cte = str(part.get('content-transfer-encoding') or '').strip().lower()
    line_oriented = ctype in CALENDAR_TYPES or 'base64' not in cte
    if ctype in CALENDAR_TYPES:
        data = data.decode(part.get_content_charset() or 'utf-8', errors='replace').encode('utf-8')
    return {
        'filename': part.get_filename(),
        'contentType': ctype,
        'size': len(body_bytes(part)),
        'lineOriented': line_oriented,
        'bareSize': len(re.sub(rb'[\r\n]', b'', data)) if line_oriented else None,
    }


def attachments(msg, depth=0):
    out = []
    report = any(p.real_type() in REPORT_TYPES for p in leaves(msg))
    for part in leaves(msg):
        ctype, disp = part.real_type(), disposition(part)
        if ctype == 'message/rfc822' and not report and disp in (None, 'inline') and depth < MAX_DEPTH:
            out.extend(attachments(parse_bytes(body_bytes(part)), depth + 1))
        elif ctype in BODY_TYPES and disp != 'attachment':
            continue
        elif ctype.startswith('multipart/'):
            continue  # unsplittable multipart: shown as text
        else:
            out.append(describe(part, ctype))
    return out


def parse(path):
    with open(path, 'rb') as handle:
        msg = parse_bytes(handle.read())
    result = {'file': path, 'errors': {}}
    fields = {
        'subject': lambda: ' '.join(str(msg['subject'] or '').split()),
        'from': lambda: header_addresses(msg, 'from'),
        'to': lambda: header_addresses(msg, 'to'),
        'date': lambda: header_date(msg),
        'attachments': lambda: attachments(msg),
    }
    for name, read in fields.items():
        try:
            result[name] = read()
        except Exception as error:  # reported, so the test shows it instead of a crash
            result[name] = None
            result['errors'][name] = f'{type(error).__name__}: {error}'
    return result


if __name__ == '__main__':
    for file in sys.argv[1:]:
        print(json.dumps(parse(file), ensure_ascii=False))
