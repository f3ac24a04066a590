#include "cicu.h"

#include <stdlib.h>
#include <unicode/uregex.h>
#include <unicode/utext.h>

/* This thread's budget: ticks left while one is open, and the first error that stopped a match. */
static _Thread_local struct {
    int open;
    int32_t ticks_left;
    const char *stopped;
} budget;

void cicu_budget_begin(void) {
    budget.open = 1;
    budget.ticks_left = CICU_TICK_LIMIT;
    budget.stopped = NULL;
}

const char *cicu_budget_end(void) {
    budget.open = 0;
    const char *stopped = budget.stopped;
    budget.stopped = NULL;
    return stopped;
}

/* ICU calls this once a tick during a match; returning false stops the match with U_REGEX_STOPPED_BY_CALLER. */
static UBool U_CALLCONV spend_tick(const void *context, int32_t ticks) {
    (void)context;
    (void)ticks;
    if (!budget.open) return 1;
    budget.ticks_left -= 1;
    return budget.ticks_left > 0;
}

/* Whether `status` says the match ran to its end; a stopped match is remembered for cicu_budget_end. */
static int finished(UErrorCode status) {
    if (status == U_REGEX_TIME_OUT || status == U_REGEX_STACK_OVERFLOW || status == U_REGEX_STOPPED_BY_CALLER) {
        if (budget.stopped == NULL) budget.stopped = u_errorName(status);
    }
    return U_SUCCESS(status);
}

struct cicu_regex {
    URegularExpression *compiled;
};

struct cicu_matcher {
    URegularExpression *regex;
    /* Reused for every text the matcher is set to, so setting a text allocates nothing. */
    UText text;
};

cicu_regex *cicu_regex_open(const uint16_t *pattern, int32_t length, int case_insensitive,
                            const char **error_name, int32_t *error_offset) {
    UParseError parse_error = {0};
    UErrorCode status = U_ZERO_ERROR;
    uint32_t flags = case_insensitive ? UREGEX_CASE_INSENSITIVE : 0;
    URegularExpression *compiled = uregex_open((const UChar *)pattern, length, flags, &parse_error, &status);
    if (U_FAILURE(status) || compiled == NULL) {
        if (compiled != NULL) uregex_close(compiled);
        *error_name = u_errorName(status);
        *error_offset = parse_error.offset;
        return NULL;
    }
    cicu_regex *regex = malloc(sizeof *regex);
    if (regex == NULL) {
        uregex_close(compiled);
        *error_name = u_errorName(U_MEMORY_ALLOCATION_ERROR);
        *error_offset = -1;
        return NULL;
    }
    regex->compiled = compiled;
    return regex;
}

void cicu_regex_close(cicu_regex *regex) {
    if (regex == NULL) return;
    uregex_close(regex->compiled);
    free(regex);
}

int32_t cicu_regex_group_number(const cicu_regex *regex, const uint16_t *name, int32_t length) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t number = uregex_groupNumberFromName(regex->compiled, (const UChar *)name, length, &status);
    return U_FAILURE(status) ? -1 : number;
}

int32_t cicu_regex_group_count(const cicu_regex *regex) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t count = uregex_groupCount(regex->compiled, &status);
    return U_FAILURE(status) ? 0 : count;
}

cicu_matcher *cicu_matcher_new(const cicu_regex *regex) {
    cicu_matcher *matcher = malloc(sizeof *matcher);
    if (matcher == NULL) return NULL;
    UErrorCode status = U_ZERO_ERROR;
    matcher->regex = uregex_clone(regex->compiled, &status);
    UText initial = UTEXT_INITIALIZER;
    matcher->text = initial;
    if (U_FAILURE(status) || matcher->regex == NULL) {
        free(matcher);
        return NULL;
    }
    /* The limits belong to the matcher, not the compiled expression: a clone does not inherit them. */
    uregex_setTimeLimit(matcher->regex, CICU_TICK_LIMIT, &status);
    uregex_setMatchCallback(matcher->regex, spend_tick, NULL, &status);
    if (U_FAILURE(status)) {
        cicu_matcher_free(matcher);
        return NULL;
    }
    return matcher;
}

void cicu_matcher_free(cicu_matcher *matcher) {
    if (matcher == NULL) return;
    uregex_close(matcher->regex);
    utext_close(&matcher->text);
    free(matcher);
}

int cicu_matcher_set_utf8(cicu_matcher *matcher, const char *text, int64_t length) {
    static const char empty[1] = {0};
    UErrorCode status = U_ZERO_ERROR;
    utext_openUTF8(&matcher->text, text != NULL ? text : empty, length, &status);
    if (U_FAILURE(status)) return 0;
    uregex_setUText(matcher->regex, &matcher->text, &status);
    return U_SUCCESS(status);
}

int cicu_matcher_find_next(cicu_matcher *matcher) {
    UErrorCode status = U_ZERO_ERROR;
    UBool found = uregex_findNext(matcher->regex, &status);
    return finished(status) && found;
}

int cicu_matcher_looking_at(cicu_matcher *matcher, int64_t start) {
    UErrorCode status = U_ZERO_ERROR;
    UBool found = uregex_lookingAt64(matcher->regex, start, &status);
    return finished(status) && found;
}

int64_t cicu_matcher_start(cicu_matcher *matcher, int32_t group) {
    UErrorCode status = U_ZERO_ERROR;
    int64_t start = uregex_start64(matcher->regex, group, &status);
    return U_FAILURE(status) ? -1 : start;
}

int64_t cicu_matcher_end(cicu_matcher *matcher, int32_t group) {
    UErrorCode status = U_ZERO_ERROR;
    int64_t end = uregex_end64(matcher->regex, group, &status);
    return U_FAILURE(status) ? -1 : end;
}
