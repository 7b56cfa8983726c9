// Aligned text tables for webhookctl's default output.
#ifndef TOOLS_WEBHOOKCTL_TABLE_H_
#define TOOLS_WEBHOOKCTL_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

namespace webhookctl {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : rows_{std::move(header)} {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Columns padded to their widest cell, two spaces apart.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace webhookctl

#endif  // TOOLS_WEBHOOKCTL_TABLE_H_
