#ifndef CICU_H
#define CICU_H
/* The system ICU's regular expressions behind plain C types. ICU's own headers cannot be imported into Swift
   next to Foundation, which bundles another ICU whose UErrorCode clashes with the system one; so they are
   included only in cicu.c, and Swift sees this header alone. */
#include <stdint.h>

/* A compiled expression: the template the matchers are cloned from. */
typedef struct cicu_regex cicu_regex;
/* One thread's matcher: a clone of the expression and the UTF-8 text it is set to. */
typedef struct cicu_matcher cicu_matcher;

/* NULL on a bad pattern, with ICU's error name and the offset in the pattern (or -1) where it was found. */
cicu_regex *cicu_regex_open(const uint16_t *pattern, int32_t length, int case_insensitive,
                            const char **error_name, int32_t *error_offset);
void cicu_regex_close(cicu_regex *regex);
/* The number of the group called `name`, or -1. */
int32_t cicu_regex_group_number(const cicu_regex *regex, const uint16_t *name, int32_t length);
int32_t cicu_regex_group_count(const cicu_regex *regex);

/* NULL only when out of memory. */
cicu_matcher *cicu_matcher_new(const cicu_regex *regex);
void cicu_matcher_free(cicu_matcher *matcher);
/* Sets the text (UTF-8, not copied: it must outlive the matching). Returns 0 on failure. */
int cicu_matcher_set_utf8(cicu_matcher *matcher, const char *text, int64_t length);
/* The next match after the previous one; 0 when there is none, or when matching was stopped (see the budget). */
int cicu_matcher_find_next(cicu_matcher *matcher);
/* Whether a match starts exactly at UTF-8 offset `start`; text before it stays visible to lookbehind. */
int cicu_matcher_looking_at(cicu_matcher *matcher, int64_t start);
/* UTF-8 offsets of a group of the last match; -1 when the group took no part. */
int64_t cicu_matcher_start(cicu_matcher *matcher, int32_t group);
int64_t cicu_matcher_end(cicu_matcher *matcher, int32_t group);

/* Matching is bounded, because a pattern that backtracks badly (`(a|aa)+$` on a long run of a's) would otherwise run
   for minutes on one text. ICU counts time in ticks of 10,000 backtracking steps (0.1 ms on an idle core of the
   development machine, up to 0.9 ms with both cores busy). One match call stops after CICU_TICK_LIMIT ticks
   (U_REGEX_TIME_OUT), or when its backtracking stack outgrows ICU's default limit of 8 MB (U_REGEX_STACK_OVERFLOW);
   and between cicu_budget_begin and cicu_budget_end, every match on the calling thread
   draws from one budget of CICU_TICK_LIMIT ticks, so many calls cannot add up to more than one call may take. */
#define CICU_TICK_LIMIT 250

/* Opens this thread's budget: the matching of one rule on one listing. */
void cicu_budget_begin(void);
/* Closes the budget: NULL when every match since cicu_budget_begin ran to its end, otherwise the name of the ICU
   error that stopped one (U_REGEX_TIME_OUT, U_REGEX_STACK_OVERFLOW, or U_REGEX_STOPPED_BY_CALLER when the budget
   ran out over several calls). A stopped match reports no match, so what the matching found is incomplete. */
const char *cicu_budget_end(void);
#endif
