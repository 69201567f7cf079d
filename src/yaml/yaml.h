/* yaml.h - YAML documents (and CloudFormation's short-form tags) read into
 * the same tree as json.h builds, with byte offsets into the YAML text.
 *
 * Mappings become objects (duplicate keys are errors), sequences arrays.
 * Quoted scalars are strings.  Plain scalars: true/false (YAML 1.2 core,
 * case as written: true True TRUE) become booleans, null ~ and empty become
 * null, integers and decimals written the way JSON writes them become
 * numbers (their literal text), and everything else is a string -- notably
 * `2012-10-17`, which a YAML 1.1 reader would turn into a date, and
 * `012345678901` or `0x1F`, which keep their text.  CloudFormation tags become their long
 * forms: `!Ref X` -> {"Ref": X}, `!GetAtt A.B` -> {"Fn::GetAtt": ["A","B"]},
 * `!Sub`/`!Join`/`!Select`/`!Split`/`!If`/`!Equals`/`!Not`/`!And`/`!Or`/
 * `!FindInMap`/`!Base64`/`!Cidr`/`!ImportValue`/`!GetAZs`/`!Transform` ->
 * {"Fn::Name": value}, `!Condition X` -> {"Condition": X}.  Other tags are
 * errors.  Aliases are expanded with a bound on the total number of nodes,
 * so a "billion laughs" document fails cleanly.  Only the first document of
 * a stream is read; more than one is an error. */
#ifndef IG_YAML_H
#define IG_YAML_H

#include "json/json.h"

json_doc *yaml_parse(const char *text, size_t len, const json_limits *lim,
                     json_error *err);

/* JSON when the first non-blank character is '{' or '[', else YAML. */
json_doc *ig_parse_structured(const char *text, size_t len,
                              const json_limits *lim, json_error *err);

/* Append `v` as block-style YAML, each line indented by `indent` spaces.
 * Strings are quoted unless no YAML reader could take them for anything
 * else (so `Version: "2012-10-17"`).  With `cfn_tags`, single-key
 * intrinsics are written in CloudFormation's short form (`!Ref X`). */
void yaml_write(json_buf *out, const json_value *v, unsigned indent, bool cfn_tags);

#endif
