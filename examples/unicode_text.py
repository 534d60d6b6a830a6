"""Unicode in identifiers, strings and output."""


def grüße(name):
    text = f"Grüße, {name}! 你好 🌍"
    return text


café = "naïve résumé"
emoji = "🎉" * 3
quote = 'say "hi"\tand\\bye\n'
print(grüße("Zoë"), café, emoji)
print(quote, end="")
