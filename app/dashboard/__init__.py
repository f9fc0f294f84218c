"""Map dashboard: folium pages whose every asset is served by the app itself."""
