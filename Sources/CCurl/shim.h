#ifndef ASSAY_CCURL_SHIM_H
#define ASSAY_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: typed wrappers.
static inline CURLcode assay_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode assay_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode assay_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode assay_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
typedef size_t (*assay_curl_write_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode assay_curl_setopt_write(CURL *handle, CURLoption option, assay_curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}
static inline CURLcode assay_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode assay_curl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode assay_curl_global_init(void) { return curl_global_init(CURL_GLOBAL_ALL); }
static const unsigned int assay_curlh_header = CURLH_HEADER;
#endif
