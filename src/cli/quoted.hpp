#pragma once
// Text from a command line or a list file, quoted for an error message: control characters and
// bytes that are not UTF-8 are escaped (so a hostile line cannot drive the terminal), and long
// text is shortened.
#include <string>
#include <string_view>

namespace tgget::cli {

// "\"t.me/x/1\"", with \n, \t, \xNN escapes and at most about 120 characters kept.
std::string quoted(std::string_view text);

}  // namespace tgget::cli
