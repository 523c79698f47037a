"""A PDF → the PDF/A-2a and PDF/UA-1 requirements it meets (pdf.py) and pikepdf's PDF/A verdict (pdfa.py)."""
