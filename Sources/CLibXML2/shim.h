#ifndef ASSAY_CLIBXML2_SHIM_H
#define ASSAY_CLIBXML2_SHIM_H
// Debian's libxml2 headers pull in the system ICU, which clashes with Foundation's bundled ICU:
// read the version header first and switch ICU off before the rest (BUILD-NOTES.md, gotcha 1).
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

// xmlFree is a global function-pointer variable, "not concurrency-safe" under Swift 6.
static inline void assay_xml_free(void *pointer) { xmlFree(pointer); }
#endif
