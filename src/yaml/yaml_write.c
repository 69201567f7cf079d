/* yaml_write.c - a json.h tree written as block-style YAML.
 *
 * The output is meant for people and for CloudFormation, so it is plain
 * where that cannot be misread and double-quoted everywhere else: a string
 * stays plain only if no YAML 1.1 or 1.2 reader could take it for anything
 * but a string (so `2012-10-17`, `yes`, `*` and `arn:aws:s3:::*` are
 * quoted).  Double-quoted YAML accepts JSON's escapes, so quoting reuses
 * json_buf_quote. */
#include <string.h>

#include "yaml/yaml.h"

/* Short flow forms (`!If [Cond, [!Ref X], !Ref "AWS::NoValue"]`) are used
 * when they fit on a line of about this width. */
#define FLOW_WIDTH 100u

static const char *const FN_SHORT[] = {
    "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::If", "Fn::Equals", "Fn::Not",
    "Fn::And", "Fn::Or", "Fn::FindInMap", "Fn::Base64", "Fn::Cidr", "Fn::ImportValue",
    "Fn::GetAZs", "Fn::Transform", "Fn::GetAtt", NULL,
};

static bool reserved_word(const char *s, size_t n)
{
    static const char *const W[] = { "y", "n", "yes", "no", "on", "off", "true", "false",
                                     "null", NULL };
    for (const char *const *w = W; *w; w++) {
        if (strlen(*w) != n)
            continue;
        size_t i = 0;
        while (i < n && (s[i] | 0x20) == (*w)[i])
            i++;
        if (i == n)
            return true;
    }
    return false;
}

static bool plain_ok(const char *s, size_t n, bool flow)
{
    if (n == 0 || n > 200 || reserved_word(s, n))
        return false;
    if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return false;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '/' || c == '-' || (c == ':' && !flow);
        if (!ok)
            return false;
    }
    return s[n - 1] != ':';
}

static void pad(json_buf *b, unsigned indent)
{
    static const char spaces[] = "                                ";
    while (indent > 0) {
        unsigned k = indent > 32 ? 32 : indent;
        json_buf_append(b, spaces, k);
        indent -= k;
    }
}

static void scalar(json_buf *b, const json_value *v, bool flow)
{
    switch (v->kind) {
    case JSON_NULL:   json_buf_puts(b, "null"); break;
    case JSON_TRUE:   json_buf_puts(b, "true"); break;
    case JSON_FALSE:  json_buf_puts(b, "false"); break;
    case JSON_NUMBER: json_buf_append(b, v->u.str, v->len); break;
    case JSON_STRING:
        if (plain_ok(v->u.str, v->len, flow))
            json_buf_append(b, v->u.str, v->len);
        else
            json_buf_quote(b, v->u.str, v->len);
        break;
    default: break;
    }
}

static bool is_scalar(const json_value *v)
{
    return v->kind != JSON_ARRAY && v->kind != JSON_OBJECT;
}

/* `!GetAtt A.B` for [A, B] (read back by splitting at the first dot). */
static bool getatt_dotted(const json_value *arg)
{
    return arg->kind == JSON_ARRAY && arg->len == 2 && arg->u.items[0].kind == JSON_STRING &&
           arg->u.items[1].kind == JSON_STRING &&
           plain_ok(arg->u.items[0].u.str, arg->u.items[0].len, false) &&
           !memchr(arg->u.items[0].u.str, '.', arg->u.items[0].len) &&
           plain_ok(arg->u.items[1].u.str, arg->u.items[1].len, false);
}

/* The short tag of a single-key intrinsic ("Ref" -> "!Ref"), or NULL.
 * A scalar after !GetAtt means "Res.Attr", so any other GetAtt scalar
 * keeps the long form. */
static const char *short_tag(const json_value *v, bool cfn_tags)
{
    if (!cfn_tags || v->kind != JSON_OBJECT || v->len != 1)
        return NULL;
    const char *k = v->u.members[0].key;
    if (!strcmp(k, "Ref") || !strcmp(k, "Condition"))
        return k;
    if (!strcmp(k, "Fn::GetAtt") && v->u.members[0].value.kind != JSON_ARRAY)
        return NULL;
    for (const char *const *f = FN_SHORT; *f; f++)
        if (!strcmp(k, *f))
            return k + 4;
    return NULL;
}

static bool flow_value(json_buf *b, const json_value *v, bool cfn_tags, unsigned depth,
                       bool in_brackets);

static bool flow_tagged(json_buf *b, const char *tag, const json_value *arg, bool cfn_tags,
                        unsigned depth, bool in_brackets)
{
    json_buf_printf(b, "!%s ", tag);
    if (!strcmp(tag, "GetAtt") && getatt_dotted(arg)) {
        json_buf_printf(b, "%s.%s", arg->u.items[0].u.str, arg->u.items[1].u.str);
        return true;
    }
    return flow_value(b, arg, cfn_tags, depth + 1, in_brackets);
}

/* Scalars, short-form intrinsics and lists of them, on one line.  Inside
 * brackets a plain scalar may not hold ':' (YAML 1.1 readers split there). */
static bool flow_value(json_buf *b, const json_value *v, bool cfn_tags, unsigned depth,
                       bool in_brackets)
{
    if (depth > 4)
        return false;
    const char *tag = short_tag(v, cfn_tags);
    if (tag)
        return flow_tagged(b, tag, &v->u.members[0].value, cfn_tags, depth, in_brackets);
    if (is_scalar(v)) {
        scalar(b, v, in_brackets);
        return true;
    }
    if (v->kind != JSON_ARRAY)
        return false;
    json_buf_puts(b, "[");
    for (uint32_t i = 0; i < v->len; i++) {
        if (i)
            json_buf_puts(b, ", ");
        if (!flow_value(b, &v->u.items[i], cfn_tags, depth + 1, true))
            return false;
    }
    json_buf_puts(b, "]");
    return true;
}

/* Append v in flow style if it fits `room` columns. */
static bool try_flow(json_buf *b, const json_value *v, bool cfn_tags, unsigned room)
{
    size_t mark = b->len;
    if (flow_value(b, v, cfn_tags, 0, false) && !b->failed && b->len - mark <= room &&
        !memchr(b->data + mark, '\n', b->len - mark))
        return true;
    if (!b->failed) {
        b->len = mark;
        b->data[mark] = '\0';
    }
    return false;
}

static void block_mapping(json_buf *b, const json_value *v, unsigned indent, bool inline_first,
                          bool cfn_tags);
static void block_sequence(json_buf *b, const json_value *v, unsigned indent, bool inline_first,
                           bool cfn_tags);

static void block_value(json_buf *b, const json_value *v, unsigned indent, bool cfn_tags)
{
    if (v->kind == JSON_OBJECT)
        block_mapping(b, v, indent, false, cfn_tags);
    else
        block_sequence(b, v, indent, false, cfn_tags);
}

/* The value after "key:" or "-": on the same line when it is short,
 * else on the following lines at `indent`. */
static void node(json_buf *b, const json_value *v, unsigned indent, bool in_sequence,
                 bool cfn_tags)
{
    const char *tag = short_tag(v, cfn_tags);
    unsigned room = indent < FLOW_WIDTH - 20 ? FLOW_WIDTH - indent : 20;
    bool empty = !is_scalar(v) && v->len == 0;
    if (!tag && v->kind == JSON_OBJECT && empty) {
        json_buf_puts(b, " {}\n");
        return;
    }
    if (tag || is_scalar(v) || empty) {
        json_buf_puts(b, " ");
        if (try_flow(b, v, cfn_tags, room)) {
            json_buf_puts(b, "\n");
            return;
        }
        if (!tag) {                     /* a long scalar */
            scalar(b, v, false);
            json_buf_puts(b, "\n");
            return;
        }
        const json_value *arg = &v->u.members[0].value;
        json_buf_printf(b, "!%s", tag);
        if (is_scalar(arg)) {
            json_buf_puts(b, " ");
            scalar(b, arg, false);
            json_buf_puts(b, "\n");
        } else if (arg->len == 0) {
            json_buf_puts(b, arg->kind == JSON_OBJECT ? " {}\n" : " []\n");
        } else {
            json_buf_puts(b, "\n");
            block_value(b, arg, indent, cfn_tags);
        }
        return;
    }
    if (in_sequence) {
        json_buf_puts(b, " ");
        if (v->kind == JSON_OBJECT)
            block_mapping(b, v, indent, true, cfn_tags);
        else
            block_sequence(b, v, indent, true, cfn_tags);
        return;
    }
    json_buf_puts(b, "\n");
    block_value(b, v, indent, cfn_tags);
}

static void block_mapping(json_buf *b, const json_value *v, unsigned indent, bool inline_first,
                          bool cfn_tags)
{
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        if (i || !inline_first)
            pad(b, indent);
        if (plain_ok(m->key, m->key_len, false))
            json_buf_append(b, m->key, m->key_len);
        else
            json_buf_quote(b, m->key, m->key_len);
        json_buf_puts(b, ":");
        node(b, &m->value, indent + 2, false, cfn_tags);
    }
}

static void block_sequence(json_buf *b, const json_value *v, unsigned indent, bool inline_first,
                           bool cfn_tags)
{
    for (uint32_t i = 0; i < v->len; i++) {
        if (i || !inline_first)
            pad(b, indent);
        json_buf_puts(b, "-");
        node(b, &v->u.items[i], indent + 2, true, cfn_tags);
    }
}

void yaml_write(json_buf *out, const json_value *v, unsigned indent, bool cfn_tags)
{
    if (v->kind == JSON_OBJECT && v->len && !short_tag(v, cfn_tags)) {
        block_mapping(out, v, indent, false, cfn_tags);
    } else if (v->kind == JSON_ARRAY && v->len) {
        block_sequence(out, v, indent, false, cfn_tags);
    } else {
        pad(out, indent);
        if (!try_flow(out, v, cfn_tags, FLOW_WIDTH * 4))
            json_buf_puts(out, "{}");
        json_buf_puts(out, "\n");
    }
}
