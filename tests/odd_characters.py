"""Text that stores, wire formats and pages tend to mangle: every test of faithful storage
sends it."""

C0 = "".join(chr(c) for c in range(0x00, 0x20))  # NUL first, tab, LF, CR, ESC, ...
C1 = "".join(chr(c) for c in range(0x7F, 0xA0))  # DEL and the C1 controls
ODD = (
    C0
    + C1
    + "\ufeff"  # byte order mark
    + "\u2028\u2029"  # line and paragraph separators (not newlines in JSON, newlines in JS)
    + "\u202eevil\u202c"  # right-to-left override
    + "\u200b\u200c\u200d\u2060"  # zero-width space, non-joiner, joiner, word joiner
    + "👩\u200d💻🏳\ufe0f\u200d🌈"  # ZWJ emoji sequences
    + "e\u0301\u0338"  # combining marks
    + "\ufffe\uffff\U0010ffff"  # non-characters
    + "\U0001d518\U0001d52b \U0001f600\U00020000"  # supplementary planes
    + "\r\n\t\\\"'`${}<script>&amp;"  # line ends and what escapes get wrong
    + "العربية עברית 中文 日本語"
)
