function tokenize(text) {
  return text.split(/\s+/).filter((part) => part.length > 0);
}

module.exports = { tokenize };
