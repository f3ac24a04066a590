/* The floor under any libxml2-based checker: libxml2 2.9's HTML SAX parser over each page named on the command
   line, with auditor's parser options and callbacks that do nothing. xmllint builds and frees a tree on top of the
   same tokenizer; on catalogue pages, whose bulk is one long paragraph of Chinese, the tokenizer's
   character-by-character copy of text is most of both, so the two run at about the same speed.
   bench/compare.sh builds and times it next to xmllint. */
#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void characters(void *user, const xmlChar *text, int length) { (void)user; (void)text; (void)length; }
static void start_element(void *user, const xmlChar *name, const xmlChar **attributes) {
    (void)user; (void)name; (void)attributes;
}
static void end_element(void *user, const xmlChar *name) { (void)user; (void)name; }
static void quiet(void *context, const char *message, ...) { (void)context; (void)message; }

int main(int argc, char **argv) {
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, quiet);
    for (int i = 1; i < argc; i++) {
        FILE *file = fopen(argv[i], "rb");
        if (file == NULL) continue;
        fseek(file, 0, SEEK_END);
        long size = ftell(file);
        fseek(file, 0, SEEK_SET);
        char *bytes = malloc(size > 0 ? (size_t)size : 1);
        size_t read = fread(bytes, 1, (size_t)size, file);
        fclose(file);
        htmlParserCtxtPtr context = htmlCreateMemoryParserCtxt(bytes, (int)read);
        if (context != NULL) {
            htmlSAXHandler handler;
            memset(&handler, 0, sizeof handler);
            handler.startElement = start_element;
            handler.endElement = end_element;
            handler.characters = characters;
            handler.cdataBlock = characters;
            *context->sax = handler;
            htmlCtxtUseOptions(context, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                            HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
            xmlSwitchEncoding(context, XML_CHAR_ENCODING_UTF8);
            htmlParseDocument(context);
            htmlFreeParserCtxt(context);
        }
        free(bytes);
    }
    return 0;
}
