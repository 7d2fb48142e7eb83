#pragma once
#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver (compiler-rt), for an executable that has its own `main`: SwiftPM links
// every executable with `main` renamed to `<module>_main`, so the targets call this from there.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
