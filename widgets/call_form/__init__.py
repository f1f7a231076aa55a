"""The hotline's form: a phone call becomes an incident."""
