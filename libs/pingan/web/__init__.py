"""The district office's web dashboard (工作台), served at ``/`` by the root app.

Pages are rendered on the server with Jinja2: no build step and no script bundle, so
``pip install -e . && pingan up`` still does everything, and every asset ships in this
package for an intranet with no internet. The pages are a backend-for-frontend: they call
the services' own HTTP API in-process with the signed-in user's token, so authorisation,
township scoping, problem texts and read-your-writes are the API's, never a second copy.
"""
