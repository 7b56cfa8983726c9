// A fresh directory for one test, removed with everything in it at the end.
#ifndef TESTS_SUPPORT_TEMP_DIR_H_
#define TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace relay::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string File(const std::string& name) const;

 private:
  std::string path_;
};

// The whole content of a file ("" if it cannot be read).
std::string ReadFileOrEmpty(const std::string& path);

}  // namespace relay::testing

#endif  // TESTS_SUPPORT_TEMP_DIR_H_
