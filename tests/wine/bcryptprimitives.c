/* Wine 8.0 (Debian bookworm's) has no bcryptprimitives.dll, from which Rust's standard
 * library (1.78 and later) takes ProcessPrng, the random bytes behind every HashMap. Real
 * Windows (10 and later) has it. This stand-in, built with mingw-w64 next to defter.exe
 * by tests/integration/windows.rs, gives the same bytes from RtlGenRandom
 * (advapi32's SystemFunction036), which wine has. It is never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
