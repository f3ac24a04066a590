#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU, so encoding.h pulls in the system ICU headers, whose UErrorCode
   clashes with Foundation's bundled ICU in any file that imports both. We never touch the two
   ICU-only fields of xmlCharEncodingHandler, so hiding them is safe. Keep this #undef. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/encoding.h>
#include <libxml/xmlerror.h>

/* xmlFree is a mutable global function pointer, which Swift 6 refuses as not concurrency-safe. */
static inline void clibxml2_free(void *p) { xmlFree(p); }

/* libxml2's error callbacks are C-variadic, which Swift cannot write. They are per-thread state,
   so every thread that parses calls this once. */
static void clibxml2_noop_generic(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static void clibxml2_noop_structured(void *ctx, xmlErrorPtr err) { (void)ctx; (void)err; }
static inline void clibxml2_silence_errors(void) {
    xmlSetGenericErrorFunc(NULL, clibxml2_noop_generic);
    xmlSetStructuredErrorFunc(NULL, clibxml2_noop_structured);
}

/* Byte offset of the parser's read position from the start of the document. libxml2 drops parsed
   text from the front of its buffer as it goes and counts the dropped bytes in `consumed`, so
   `cur - base` alone is not a document offset. -1 when there is no input. */
static inline long clibxml2_input_offset(xmlParserCtxtPtr ctxt) {
    xmlParserInputPtr in = ctxt->input;
    if (in == NULL || in->cur == NULL || in->base == NULL) return -1;
    return (long)in->consumed + (long)(in->cur - in->base);
}
#endif
