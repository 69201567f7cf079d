#!/usr/bin/env python3
"""schema_check.py - check a JSON document against a JSON Schema, for the
keywords our schemas use ($ref to #/$defs, type, required, properties,
additionalProperties, items, minItems, minimum, enum); standard library
only.  Prints each violation with its JSON path; exit 1 when there is one.
usage: schema_check.py SCHEMA DOCUMENT"""
import json
import sys

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def is_type(v, t):
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, TYPES[t])


def check(root, s, v, path, errs):
    if "$ref" in s:
        s = root["$defs"][s["$ref"].rsplit("/", 1)[1]]
    known = {"$ref", "type", "required", "properties", "additionalProperties", "items", "minItems",
             "minimum", "enum", "description", "title", "$schema", "$id", "$defs"}
    for k in s:
        if k not in known:
            errs.append(f"schema keyword {k} is not checked")
    if "type" in s:
        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(is_type(v, t) for t in ts):
            errs.append(f"{path}: {json.dumps(v)[:60]} is not {'/'.join(ts)}")
            return
    if "enum" in s and v not in s["enum"]:
        errs.append(f"{path}: {v!r} not one of {s['enum']}")
    if "minimum" in s and is_type(v, "number") and v < s["minimum"]:
        errs.append(f"{path}: {v} < {s['minimum']}")
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                errs.append(f"{path}: lacks {k}")
        props = s.get("properties", {})
        for k, x in v.items():
            if k in props:
                check(root, props[k], x, f"{path}.{k}", errs)
            elif s.get("additionalProperties") is False:
                errs.append(f"{path}: unexpected member {k}")
            elif isinstance(s.get("additionalProperties"), dict):
                check(root, s["additionalProperties"], x, f"{path}.{k}", errs)
    if isinstance(v, list):
        if len(v) < s.get("minItems", 0):
            errs.append(f"{path}: fewer than {s['minItems']} items")
        if "items" in s:
            for i, x in enumerate(v):
                check(root, s["items"], x, f"{path}[{i}]", errs)


def main():
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    with open(sys.argv[2]) as f:
        doc = json.load(f)
    errs = []
    check(schema, schema, doc, "$", errs)
    for e in errs[:20]:
        print(e)
    sys.exit(1 if errs else 0)


main()
