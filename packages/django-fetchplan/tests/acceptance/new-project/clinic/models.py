"""A veterinary clinic: owners, their pets, and the pets' visits (FK and reverse FK)."""

from typing import override

from django.db import models


class Owner(models.Model):
    """Someone who brings pets to the clinic."""

    name = models.CharField(max_length=100)

    @override
    def __str__(self) -> str:
        return self.name


class Pet(models.Model):
    """A pet; ``owner.pets`` is the reverse relation."""

    name = models.CharField(max_length=100)
    species = models.CharField(max_length=50)
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="pets")

    @override
    def __str__(self) -> str:
        return self.name


class Visit(models.Model):
    """One visit of a pet; ``pet.visits`` is the reverse relation."""

    pet = models.ForeignKey(Pet, on_delete=models.CASCADE, related_name="visits")
    day = models.DateField()
    reason = models.CharField(max_length=200)

    @override
    def __str__(self) -> str:
        return f"visit on {self.day}"
