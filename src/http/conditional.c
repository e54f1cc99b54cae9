/*
 * conditional.c — reads an If-Match header by the letter of RFC 9110
 * (§8.8.3 entity-tags, §13.1.1 If-Match) into an app_if_match_t.
 *
 *   If-Match = "*" / #entity-tag
 *   entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE
 *   etagc = %x21 / %x23-7E / obs-text
 *
 * A list may have empty elements and optional whitespace around commas.
 * If-Match uses the strong comparison: a weak tag never matches, and an
 * opaque tag matches only when its bytes are exactly the ETag awda sends
 * (the version in decimal, e.g. "3"). So the parser keeps, of each
 * well-formed tag, only whether it is strong and names a version;
 * "stale-0", W/"3" or "03" are well-formed and simply never match (the
 * precondition then fails: 412). Only a value that is not "*" and not a
 * list of entity-tags at all (a bare 3, an unclosed quote, "*" in a list,
 * no tag) is malformed (400). The value is at most AWDA_MAX_IF_MATCH bytes,
 * which bounds the tags that name a version to APP_IF_MATCH_TAGS.
 */
#include "http.h"
#include "../util/limits.h"
#include <string.h>

static int etagc(unsigned char c)
{
    return c == 0x21 || (c >= 0x23 && c != 0x7f);
}

/* The opaque tag [s, s+n) as a version: canonical decimal, 1 to 16
 * digits, no leading zero; -1 otherwise. */
static long long tag_version(const char *s, size_t n)
{
    if (n == 0 || n > 16 || (s[0] == '0' && n > 1))
        return -1;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static const char *ows(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

int http_if_match_parse(const char *value, app_if_match_t *m)
{
    memset(m, 0, sizeof *m);
    m->present = 1;
    if (strlen(value) > AWDA_MAX_IF_MATCH)
        return -1;
    const char *p = ows(value);
    if (*p == '*') {
        m->any = 1;
        return *ows(p + 1) == '\0' ? 0 : -1;
    }
    int tags = 0;
    while (*(p = ows(p)) != '\0') {
        if (*p == ',') { /* an empty list element */
            p++;
            continue;
        }
        int weak = p[0] == 'W' && p[1] == '/';
        if (weak)
            p += 2;
        if (*p != '"')
            return -1;
        const char *start = ++p;
        while (etagc((unsigned char)*p))
            p++;
        if (*p != '"')
            return -1;
        long long v = weak ? -1 : tag_version(start, (size_t)(p - start));
        p = ows(p + 1);
        if (*p != ',' && *p != '\0')
            return -1;
        tags++;
        if (v >= 0) {
            if (m->n == APP_IF_MATCH_TAGS)
                return -1;
            m->v[m->n++] = v;
        }
    }
    return tags ? 0 : -1;
}
