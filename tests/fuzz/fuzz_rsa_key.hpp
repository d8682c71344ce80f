#pragma once
// A 2048-bit RSA key made for the fuzzers only (protects nothing): the handshake harness trusts
// its public half, and the seed recorder runs the test DC's server handshake with the private half,
// so recorded answers carry a fingerprint the harness knows.
namespace tgget::fuzz {
inline constexpr const char* kPublicKeyPem = R"(
-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAst+t8G3odb1DzlhBYB0iU4yE8EknvUNq2yR/WlfLc4kG+8JPcInx
mzgvl+D3X2juVoCTl/16E639Ub8TrgTaHTWp6zCydfCWAJ7OZkRBPOo+zg71grpy
KthNtm3Ui9Ojoomzhq4XxAxg6D8yWIa878yxUYsVcLcK8xnISDRI57LxX902im2y
LU5b0Jhuu0fr/L1uZSq9OYuQL9V/gHd1Qu+doV3bMKawy5ARbaZQymzHY3bUkn0z
WvAtWvIBqx0Gg+68HbKAlqUgrYPHdotilYCljgYh3S2zm0ph4Y/Q9IYGnztkL7J7
NY5ATC/kXKghvV275A8A0xOW7hoYNru6cwIDAQAB
-----END RSA PUBLIC KEY-----
)";
inline constexpr const char* kPrivateKeyPem = R"(
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAst+t8G3odb1DzlhBYB0iU4yE8EknvUNq2yR/WlfLc4kG+8JP
cInxmzgvl+D3X2juVoCTl/16E639Ub8TrgTaHTWp6zCydfCWAJ7OZkRBPOo+zg71
grpyKthNtm3Ui9Ojoomzhq4XxAxg6D8yWIa878yxUYsVcLcK8xnISDRI57LxX902
im2yLU5b0Jhuu0fr/L1uZSq9OYuQL9V/gHd1Qu+doV3bMKawy5ARbaZQymzHY3bU
kn0zWvAtWvIBqx0Gg+68HbKAlqUgrYPHdotilYCljgYh3S2zm0ph4Y/Q9IYGnztk
L7J7NY5ATC/kXKghvV275A8A0xOW7hoYNru6cwIDAQABAoIBAAVLMHiLMlcAPWPv
2864qDDGcQeoL677yYWEx3QXSftPoGalYIRNqYi9pQjBvk2Hjkhbc8iWYh1U/Dy0
dzuijyAhoaAvzZPp+arb8QotOPIiS3/mlIZnSC0k+jFBUTiNbYlT0QlV+6b784b6
mgC+tBPWi82buYCfpc8JpMDDYej4vun/KlU+ui937nVpNZaiygio6pZ8D2kcwf/h
y3KkiNcjNKEMGcObQtUv3xHxDJUMPetr92/bTqYh0bk2RpQx65IV5voaCnPTjeH9
eK2K5IVWZNSySAJpx+iONH+eH25iKJ+UcHSLClTcGHG1/2xfQeUfvTjNC8UvAhp9
xewh68ECgYEA1qgX3oREInDBfHggu1E2Or/WfBTQkcvm5FrAXiSuIqdV9SjBB6wV
yn1UBixyeJekGlcKlNsHr81n5UW6HQsrSqA6RnAcmuv1fzAHICYLl859Ch0V4/rE
ggFJnBU/qBKOCF10qDUdSuu28nacoyizStqLgCtbRoJz3Yy9xWQ4uWECgYEA1VNE
q52I2WWdF8GG9raoQ6CPmL95WFR7pMbFVDmOMAKClzgX47gfZwtd6EpFI1Xwu68M
lkb3MWjHBQ1PoXzmsJLXP6t1mDG/ItD0ItS5vTxvqRifXvI3pKb1gqmpbSBk3Bsq
xA54x4aboOrW1vZiI7zYL+pFVUCle1bXfL9boFMCgYEApC736tPCBZG2/IwphPzN
/Muks018ZjfOh9U+FAP8STcykQy18DdYh4Oq0/oFKGXcN+Vhi4+oZng2wm+9td9I
IpFBYYT47CoUoU7L9HQFI/zlOOocRz8UNNflRIQgJ17h0lYhF1Ng72Axk2zTzBwi
XtugHc2Lx/eZxdiTgjpxBKECgYB+G0lfAjOiAFXLc1YrhnMV91ar/5TmSJsHH5IL
ZjLN4s38QuascW3u5mNPLIiOiQFUkfio5a6/gKcWL3ZBiqp8+3FPbDaKD+5j0I5i
AMsEOTPxDGM6J4oJRcGgylcj8aBuFYlEeSGhIcviZrE2RlRhuAM84Aq4iQzKSt38
Gss5jQKBgE3o9qqpl0pxBJPnDyta0XMJP2D9JN+86COCWKvXhyIbzly+goeQXSSl
E4cZFRE7O3iRidtnLE/x6x3fqxFMYgEEe/P5xza1Y7yLa71rKP51+w+D2Y1FqIvn
JZFUiCNLFIVXtkiupW2HoLbMq0ae0z0nPoitTTci7hxPn05f5eFX
-----END RSA PRIVATE KEY-----
)";
}  // namespace tgget::fuzz
