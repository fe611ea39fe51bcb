/* Fuzz target: the digit relaxer (src/rules/re_relax.c), differential
 * against PCRE2. byte 0: bit 0 caseless; then the regex up to the first
 * newline, then a subject (at most 256 bytes). When the relaxer answers and
 * PCRE2 takes the original, PCRE2 must take the relaxed expression, match
 * the subject wherever the original does (anchored, at every start), and
 * match it at the same starts with every digit made '0'. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rules/re_relax.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pcre2_code *compile(const char *re, int caseless, int *ec)
{
    PCRE2_SIZE eo;
    return pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
                         PCRE2_UTF | (caseless ? PCRE2_CASELESS : 0), ec, &eo, NULL);
}

/* 1 match, 0 none, -1 error (a limit: the comparison says nothing) */
static int at(pcre2_code *re, pcre2_match_data *md, pcre2_match_context *mc, const char *s,
              size_t len, size_t start)
{
    int rc = pcre2_match(re, (PCRE2_SPTR)s, len, start, PCRE2_ANCHORED | PCRE2_NO_UTF_CHECK, md,
                         mc);
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 4096)
        return 0;
    int caseless = data[0] & 1;
    const uint8_t *nl = memchr(data + 1, '\n', size - 1);
    size_t rlen = nl ? (size_t)(nl - data - 1) : size - 1;
    char *re = malloc(rlen + 1);
    if (!re)
        return 0;
    memcpy(re, data + 1, rlen);
    re[rlen] = 0;
    if (memchr(re, 0, rlen)) {
        free(re);
        return 0;
    }
    char *rx = ds_re_digit_relax(re);
    int ec = 0;
    pcre2_code *a = rx ? compile(re, caseless, &ec) : NULL;
    pcre2_code *b = a ? compile(rx, caseless, &ec) : NULL;
    /* the relaxed expression must compile, unless it outgrows PCRE2's limits
     * (every digit a class: the rule compiler then keeps the original) */
    if (a && !b && ec != PCRE2_ERROR_PATTERN_TOO_LARGE &&
        ec != PCRE2_ERROR_PARENTHESES_NEST_TOO_DEEP)
        abort();
    if (b) {
        size_t slen = nl ? size - rlen - 2 : 0;
        if (slen > 256)
            slen = 256;
        char s[257], z[257];
        memcpy(s, nl ? (const char *)nl + 1 : "", slen);
        s[slen] = 0;
        for (size_t i = 0; i < slen; i++)
            z[i] = s[i] >= '0' && s[i] <= '9' ? '0' : s[i];
        pcre2_match_data *md = pcre2_match_data_create(32, NULL);
        pcre2_match_context *mc = pcre2_match_context_create(NULL);
        pcre2_set_match_limit(mc, 100000);
        pcre2_set_depth_limit(mc, 1000);
        /* a subject that is not UTF-8 is not what rules see */
        PCRE2_SIZE eo;
        pcre2_code *any = pcre2_compile((PCRE2_SPTR) "", 0, PCRE2_UTF, &ec, &eo, NULL);
        int utf = any && pcre2_match(any, (PCRE2_SPTR)s, slen, 0, 0, md, NULL) >= 0;
        pcre2_code_free(any);
        for (size_t st = 0; utf && st <= slen; st++) {
            if (st < slen && ((unsigned char)s[st] & 0xC0) == 0x80)
                continue; /* inside a character */
            int ma = at(a, md, mc, s, slen, st), mb = at(b, md, mc, s, slen, st),
                mz = at(b, md, mc, z, slen, st);
            if (ma == 1 && mb == 0)
                abort(); /* not a superset */
            if (mb >= 0 && mz >= 0 && mb != mz)
                abort(); /* tells digits apart */
        }
        pcre2_match_data_free(md);
        pcre2_match_context_free(mc);
        pcre2_code_free(b);
    }
    pcre2_code_free(a);
    free(rx);
    free(re);
    return 0;
}
