# Sourced by the local scripts: loads .env (or .env.example) into the environment
# without overriding variables that are already set.
_env_file=".env"
[ -f "$_env_file" ] || _env_file=".env.example"
while IFS='=' read -r _key _value; do
  case "$_key" in '' | \#*) continue ;; esac
  if [ -z "${!_key:-}" ]; then export "$_key=$_value"; fi
done < "$_env_file"
unset _env_file _key _value
